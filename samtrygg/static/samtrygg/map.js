/* Samtrygg maps: Leaflet without a tile server. Boundaries come from our own GeoJSON;
   MAP_TILE_URL adds a background only when configured. Every map is set up from data-
   attributes, so pages need no inline script (the content security policy forbids it). */
(function () {
  "use strict";

  // Leaflet puts a string tooltip in as HTML; names typed by people go in as text.
  function plainText(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span;
  }
  // Shared with the pages' own map scripts, which are loaded after this one.
  window.Samtrygg = window.Samtrygg || {};
  window.Samtrygg.plainText = plainText;
  var STYLE = {
    kommun: { color: "#12324f", weight: 2, fill: true, fillColor: "#dfe7ef", fillOpacity: 0.5 },
    area: { color: "#0b5cad", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.12 },
    focus: { color: "#a4161a", weight: 3, fillColor: "#a4161a", fillOpacity: 0.15 }
  };
  // The reports' maps draw the kommun and its delområden the same way.
  window.Samtrygg.STYLE = STYLE;

  function writeTarget(id, value) {
    var el = document.getElementById(id);
    if (el) { el.value = value; el.dispatchEvent(new Event("change", { bubbles: true })); }
  }

  function setup(el) {
    var map = L.map(el, { zoomSnap: 0.25, preferCanvas: false, maxZoom: 19, zoomControl: false });
    var english = document.documentElement.lang === "en";
    L.control.zoom({ zoomInTitle: english ? "Zoom in" : "Zooma in",
      zoomOutTitle: english ? "Zoom out" : "Zooma ut" }).addTo(map);
    el._samtryggMap = map;
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    var bounds = null;
    var areaBounds = null;
    var pickMarker = null;
    var focusId = el.dataset.focus || el.dataset.editArea;
    var editable = null;
    var cluster = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.layerGroup();
    fetch(el.dataset.geojson, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        L.geoJSON(data, {
          style: function (f) {
            if (f.properties.kind === "kommun") { return STYLE.kommun; }
            return String(f.id) === String(focusId) ? STYLE.focus : STYLE.area;
          },
          filter: function (f) { return f.properties.kind !== "place"; },
          onEachFeature: function (f, layer) {
            if (f.properties.kind === "area") {
              layer.bindTooltip(plainText(f.properties.name), { sticky: true });
              if (String(f.id) === String(el.dataset.editArea)) { editable = layer; }
              else if (f.properties.url) { layer.on("click", function () { if (!el.dataset.draw && !el.dataset.pick) { window.location = f.properties.url; } }); }
            }
            if (f.properties.kind === "kommun" || String(f.id) === String(focusId)) {
              bounds = layer.getBounds();
            } else if (f.properties.kind === "area" && !focusId) {
              areaBounds = areaBounds ? areaBounds.extend(layer.getBounds()) : L.latLngBounds(layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast());
            }
          }
        }).addTo(map);
        data.features.filter(function (f) { return f.properties.kind === "place"; }).forEach(function (f) {
          var c = f.geometry.coordinates;
          var marker = L.marker([c[1], c[0]], { title: f.properties.name, alt: f.properties.name });
          marker.bindPopup(function () {
            var box = document.createElement("div");
            var link = document.createElement("a");
            link.href = f.properties.url;
            link.textContent = f.properties.name;
            box.appendChild(link);
            box.appendChild(document.createElement("br"));
            box.appendChild(document.createTextNode(f.properties.type || ""));
            return box;
          });
          cluster.addLayer(marker);
        });
        map.addLayer(cluster);
        if (el.dataset.center) {
          var p = el.dataset.center.split(",").map(Number);
          map.setView(p, 15);
        } else if (el.dataset.fit === "areas" && areaBounds) {
          map.fitBounds(areaBounds.pad(0.15));
        } else if (bounds) { map.fitBounds(bounds, { padding: [10, 10] }); }
        else { map.setView([62.5, 16.5], 5); }
        if (editable && map.pm) {
          editable.pm.enable({ allowSelfIntersection: false });
          editable.on("pm:edit", function () {
            writeTarget(el.dataset.target, JSON.stringify(editable.toGeoJSON().geometry));
          });
        }
      })
      .catch(function () { el.textContent = el.getAttribute("aria-label") + ": " + (document.body.dataset.mapError || "kartdata kunde inte hämtas."); });

    if (el.dataset.draw === "polygon" && map.pm) {
      map.pm.setLang(document.documentElement.lang === "en" ? "en" : "sv");
      map.pm.addControls({ position: "topleft", drawMarker: false, drawCircleMarker: false,
        drawPolyline: false, drawRectangle: true, drawCircle: false, drawText: false,
        editMode: true, dragMode: false, cutPolygon: false, removalMode: true, rotateMode: false });
      map.pm.setGlobalOptions({ allowSelfIntersection: false });
      var drawn = null;
      map.on("pm:create", function (e) {
        if (drawn) { map.removeLayer(drawn); }
        drawn = e.layer;
        writeTarget(el.dataset.target, JSON.stringify(drawn.toGeoJSON().geometry));
        drawn.on("pm:edit", function () {
          writeTarget(el.dataset.target, JSON.stringify(drawn.toGeoJSON().geometry));
        });
      });
      map.on("pm:remove", function () { drawn = null; writeTarget(el.dataset.target, ""); });
    }
    if (el.dataset.pick) {
      var ids = el.dataset.pick.split(",");
      map.on("click", function (e) {
        var lat = e.latlng.lat.toFixed(6), lon = e.latlng.lng.toFixed(6);
        writeTarget(ids[0], lat); writeTarget(ids[1], lon);
        if (pickMarker) { pickMarker.setLatLng(e.latlng); }
        else { pickMarker = L.marker(e.latlng, { title: "Vald punkt" }).addTo(map); }
      });
    }
  }

  function init() {
    document.querySelectorAll("[data-map]").forEach(setup);
    document.querySelectorAll("[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (e) {
        if (!window.confirm(button.dataset.confirm)) { e.preventDefault(); }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
