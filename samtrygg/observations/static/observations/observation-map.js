/* Maps of reports: the filtered set as clustered points (data-points: a GeoJSON URL), or one
   report's point (data-point: "lat,lon"), over the kommun and its delområden (data-geojson).
   No inline script (content security policy): set up from data- attributes. */
(function () {
  "use strict";

  // Names typed by people go into tooltips as text, and the boundaries' styles (both from
  // samtrygg/map.js, loaded first).
  var plainText = window.Samtrygg.plainText;
  var STYLE = window.Samtrygg.STYLE;

  function json(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    });
  }

  function popup(f) {
    var p = f.properties;
    var box = document.createElement("div");
    var a = document.createElement("a");
    a.href = p.url;
    a.className = "obs-link";
    a.textContent = p.title + ": " + p.category;
    box.appendChild(a);
    var line = document.createElement("div");
    line.textContent = [p.date, p.time, p.area].filter(Boolean).join(" · ");
    box.appendChild(line);
    return box;
  }

  function setup(el) {
    var map = L.map(el, { zoomSnap: 0.25, maxZoom: 18 });
    el._samtryggMap = map;
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    map.setView([62.5, 16.5], 5);
    var note = document.getElementById(el.id + "-note");
    json(el.dataset.geojson).then(function (data) {
      var kommun = null, areas = null;
      L.geoJSON(data, {
        filter: function (f) { return f.properties.kind !== "place"; },
        style: function (f) { return f.properties.kind === "kommun" ? STYLE.kommun : STYLE.area; },
        onEachFeature: function (f, layer) {
          if (f.properties.kind === "kommun") { kommun = layer.getBounds(); }
          if (f.properties.kind === "area") {
            layer.bindTooltip(plainText(f.properties.name), { sticky: true });
            var b = layer.getBounds();
            areas = areas ? areas.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
          }
        }
      }).addTo(map);
      if (el.dataset.point) {
        var p = el.dataset.point.split(",").map(Number);
        L.marker(p, { title: el.getAttribute("aria-label") }).addTo(map);
        map.setView(p, 15);
        el.dataset.pointsLoaded = "1";
        return null;
      }
      if (areas || kommun) { map.fitBounds(areas || kommun, { padding: [10, 10] }); }
      return json(el.dataset.points).then(function (points) {
        var cluster = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.featureGroup();
        points.features.forEach(function (f) {
          var c = f.geometry.coordinates;
          var marker = L.marker([c[1], c[0]], { title: f.properties.title, alt: f.properties.title });
          marker.bindPopup(function () { return popup(f); });
          cluster.addLayer(marker);
        });
        map.addLayer(cluster);
        if (points.features.length) {
          var bounds = cluster.getBounds();
          if (bounds.isValid()) { map.fitBounds(bounds.pad(0.1), { maxZoom: 16 }); }
        }
        el.dataset.pointsLoaded = String(points.features.length);
        if (note && points.total > points.features.length) {
          // The sentence comes translated from the page, with {shown} and {total} to fill in.
          var sentence = note.dataset.template || "Kartan visar de {shown} senaste av {total} händelser.";
          note.textContent = sentence.replace("{shown}", points.features.length).replace("{total}", points.total);
        }
      });
    }).catch(function (error) {
      el.dataset.error = String(error);
      el.textContent = el.getAttribute("aria-label") + ": " + (document.body.dataset.mapError || "kartdata kunde inte hämtas.");
    });
  }

  function init() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-observation-map]").forEach(setup);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
