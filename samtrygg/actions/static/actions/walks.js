/* Safety walk maps: the kommun and delområden from our own GeoJSON, the walk's route and its
   findings; the route is drawn with the geoman plugin and a finding's point is picked by a
   click. Set up from data- attributes only (no inline script under the CSP). */
(function () {
  "use strict";

  // Names typed by people go into tooltips as text (samtrygg/map.js, loaded first).
  var plainText = window.Samtrygg.plainText;
  var STYLE = {
    kommun: { color: "#12324f", weight: 2, fill: true, fillColor: "#dfe7ef", fillOpacity: 0.5 },
    area: { color: "#0b5cad", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.08 },
    route: { color: "#a4161a", weight: 5 }
  };

  function write(id, value) {
    var el = document.getElementById(id);
    if (el) { el.value = value; el.dispatchEvent(new Event("change", { bubbles: true })); }
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
  }

  function setup(el) {
    var map = L.map(el, { zoomSnap: 0.25 });
    el._samtryggMap = map;
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    var routeLayer = null;
    var requests = [getJSON(el.dataset.geojson)];
    if (el.dataset.walk) { requests.push(getJSON(el.dataset.walk)); }
    Promise.all(requests).then(function (results) {
      var base = results[0];
      var bounds = null;
      L.geoJSON(base, {
        filter: function (f) { return f.properties.kind !== "place"; },
        style: function (f) { return f.properties.kind === "kommun" ? STYLE.kommun : STYLE.area; },
        onEachFeature: function (f, layer) {
          if (f.properties.kind === "area") { layer.bindTooltip(plainText(f.properties.name), { sticky: true }); }
          if (f.properties.kind === "kommun") { bounds = layer.getBounds(); }
        }
      }).addTo(map);
      var walkBounds = null;
      if (results[1]) {
        var walk = L.geoJSON(results[1], {
          style: function () { return STYLE.route; },
          pointToLayer: function (f, latlng) {
            return L.circleMarker(latlng, { radius: 9, color: "#fff", weight: 2, fillColor: "#8a5a00", fillOpacity: 1 })
              .bindTooltip(plainText(String(f.properties.number) + ". " + f.properties.type), { permanent: false });
          },
          onEachFeature: function (f, layer) { if (f.properties.kind === "route") { routeLayer = layer; } }
        }).addTo(map);
        if (walk.getLayers().length) { walkBounds = walk.getBounds(); }
      }
      if (walkBounds) { map.fitBounds(walkBounds.pad(0.3)); }
      else if (bounds) { map.fitBounds(bounds, { padding: [10, 10] }); }
      else { map.setView([62.5, 16.5], 5); }
      if (el.dataset.routeTarget && routeLayer && map.pm) {
        routeLayer.on("pm:edit", function () { write(el.dataset.routeTarget, JSON.stringify(routeLayer.toGeoJSON().geometry)); });
      }
    }).catch(function () { el.textContent = el.getAttribute("aria-label") + ": " + (document.body.dataset.mapError || "kartdata kunde inte hämtas."); });

    if (el.dataset.routeTarget && map.pm) {
      map.pm.setLang(document.documentElement.lang === "en" ? "en" : "sv");
      map.pm.addControls({ position: "topleft", drawMarker: false, drawCircleMarker: false,
        drawPolygon: false, drawRectangle: false, drawCircle: false, drawText: false,
        drawPolyline: true, editMode: true, dragMode: false, cutPolygon: false,
        removalMode: true, rotateMode: false });
      map.on("pm:create", function (e) {
        if (routeLayer) { map.removeLayer(routeLayer); }
        routeLayer = e.layer;
        routeLayer.setStyle && routeLayer.setStyle(STYLE.route);
        write(el.dataset.routeTarget, JSON.stringify(routeLayer.toGeoJSON().geometry));
        routeLayer.on("pm:edit", function () { write(el.dataset.routeTarget, JSON.stringify(routeLayer.toGeoJSON().geometry)); });
      });
      map.on("pm:remove", function (e) { if (e.layer === routeLayer) { routeLayer = null; write(el.dataset.routeTarget, ""); } });
    }
    if (el.dataset.pick) {
      var ids = el.dataset.pick.split(",");
      var marker = null;
      map.on("click", function (e) {
        if (map.pm && map.pm.globalDrawModeEnabled && map.pm.globalDrawModeEnabled()) { return; }
        write(ids[0], e.latlng.lat.toFixed(6)); write(ids[1], e.latlng.lng.toFixed(6));
        if (marker) { marker.setLatLng(e.latlng); } else { marker = L.marker(e.latlng, { title: "Vald punkt" }).addTo(map); }
      });
    }
  }

  function init() { document.querySelectorAll("[data-walk-map]").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
