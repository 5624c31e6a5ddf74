/* The lägesbild page: charts with vega-embed (the expression interpreter, so no eval under
   the CSP) and the map with delområden, clustered observation points, hot-spot cells and the
   police's events at kommun level. */
(function () {
  "use strict";

  // Names typed by people go into tooltips as text (samtrygg/map.js, loaded first).
  var plainText = window.Samtrygg.plainText;
  var LEVEL = { green: "#2e7d32", yellow: "#f2c200", orange: "#ef6c00", red: "#c62828" };

  function charts() {
    if (typeof vegaEmbed !== "function") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      vegaEmbed(el, spec, { ast: true, actions: false, renderer: "svg" })
        .then(function () { el.dataset.rendered = "1"; })
        .catch(function () { el.textContent = el.dataset.fallback || ""; });
    });
  }

  function map(el) {
    // maxZoom: without tiles the map has none, and the marker clusters need one.
    var m = L.map(el, { zoomSnap: 0.25, maxZoom: 18 });
    el._samtryggMap = m;
    var levels = JSON.parse(el.dataset.levels || "{}");
    var cluster = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.layerGroup();
    var drawn = fetch(el.dataset.geojson, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (base) {
      var bounds = null;
      L.geoJSON(base, {
        filter: function (f) { return f.properties.kind !== "place"; },
        style: function (f) {
          if (f.properties.kind === "kommun") { return { color: "#12324f", weight: 2, fillColor: "#dfe7ef", fillOpacity: 0.5 }; }
          var key = levels[f.properties.name] || "green";
          return { color: "#0b5cad", weight: 2, fillColor: LEVEL[key], fillOpacity: 0.35 };
        },
        onEachFeature: function (f, layer) {
          if (f.properties.kind === "area") {
            layer.bindTooltip(plainText(f.properties.name), { sticky: true });
            layer.on("add", function () { layer.getElement().dataset.area = f.properties.name; });
          }
          if (f.properties.kind === "kommun") { bounds = layer.getBounds(); }
        }
      }).addTo(m);
      if (bounds) { m.fitBounds(bounds, { padding: [10, 10] }); } else { m.setView([62.5, 16.5], 5); }
    }).catch(function () { el.textContent = el.getAttribute("aria-label") + ": " + (document.body.dataset.mapError || "kartdata kunde inte hämtas."); });
    function hotspot(f) {
      L.geoJSON(f, { style: { color: f.properties.kind === "hotspot" ? "#a4161a" : "#6a1b9a", weight: 1, fillOpacity: 0.5, className: "map-" + f.properties.kind } }).bindTooltip(plainText(f.properties.text)).addTo(m);
    }
    // A draft or adopted picture: the hot spots of its own snapshot, as its cards count them.
    var stored = el.dataset.hotspots && document.getElementById(el.dataset.hotspots);
    if (stored) {
      drawn.then(function () {
        JSON.parse(stored.textContent).features.forEach(hotspot);
        el.dataset.pointsLoaded = "1";
      });
    }
    if (!el.dataset.points) { return; }
    // The points go on the map once it has its view (clusters are computed for a zoom level).
    Promise.all([drawn, fetch(el.dataset.points, { credentials: "same-origin" }).then(function (r) { return r.json(); })]).then(function (results) {
      var data = results[1];
      data.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        if (f.properties.kind === "observation") {
          cluster.addLayer(L.circleMarker([c[1], c[0]], { radius: 5, color: "#12324f", weight: 1, fillColor: "#0b5cad", fillOpacity: 0.9 }).bindTooltip(plainText(f.properties.category)));
        } else if (f.properties.kind === "police") {
          L.circleMarker([c[1], c[0]], { radius: 14, color: "#12324f", weight: 3, fillColor: "#fff", fillOpacity: 1 }).bindTooltip(plainText(f.properties.text)).addTo(m);
        } else {
          hotspot(f);
        }
      });
      m.addLayer(cluster);
      el.dataset.pointsLoaded = "1";
    }).catch(function () { el.dataset.pointsLoaded = "0"; });
  }

  function init() {
    charts();
    document.querySelectorAll("[data-picture-map]").forEach(map);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
