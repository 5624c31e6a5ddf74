/* The police events map: the kommun boundary and one label at its centre with the number of
   events in the filter. The police place events in a kommun or län, never at a scene, so no
   event gets a marker of its own. Set up from data- attributes (no inline script). */
(function () {
  "use strict";
  var KOMMUN = { color: "#12324f", weight: 2, fill: true, fillColor: "#dfe7ef", fillOpacity: 0.5 };

  function label(text) {
    var el = document.createElement("span");
    el.className = "police-count-label";
    el.textContent = text;
    return el;
  }

  function setup(el) {
    var map = L.map(el, { zoomSnap: 0.25 });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    map.attributionControl.addAttribution(el.dataset.attribution || "Källa: Polisen");
    fetch(el.dataset.geojson, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var bounds = null;
        L.geoJSON(data, {
          filter: function (f) { return f.properties.kind === "kommun"; },
          style: function () { return KOMMUN; },
          onEachFeature: function (f, layer) { bounds = layer.getBounds(); }
        }).addTo(map);
        data.features.forEach(function (f) {
          if (f.properties.kind !== "kommun-count") { return; }
          var c = f.geometry.coordinates;
          var count = String(Number(f.properties.count) || 0);
          var text = count + " · " + String(f.properties.label || el.dataset.label || "");
          var badge = document.createElement("span");
          badge.textContent = count;
          var icon = L.divIcon({ className: "police-count", html: badge, iconSize: [52, 52] });
          var marker = L.marker([c[1], c[0]], { icon: icon, title: text, alt: text, keyboard: true });
          marker.bindTooltip(label(text), { permanent: true, direction: "bottom", offset: [0, 26] });
          marker.addTo(map);
        });
        if (bounds) { map.fitBounds(bounds, { padding: [10, 10] }); }
        else { map.setView([62.5, 16.5], 5); }
      })
      .catch(function () { el.textContent = el.getAttribute("aria-label") + ": " + (document.body.dataset.mapError || "kartdata kunde inte hämtas."); });
  }

  function init() { document.querySelectorAll("[data-police-map]").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
