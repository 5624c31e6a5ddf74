/* The tip form, enhanced: the map and the device position are offered only with a script
   (the form works without one, by a named place). A tap on the map or the position fills in
   the coordinates and chooses that way of giving the place. */
(function () {
  "use strict";
  function choose(kind) {
    var radio = document.querySelector('input[name="place_kind"][value="' + kind + '"]');
    if (radio) { radio.checked = true; }
  }
  function init() {
    var box = document.querySelector("[data-tip-map]");
    if (!box) { return; }
    box.hidden = false;
    var mapEl = document.getElementById("tip-map");
    if (mapEl && mapEl._samtryggMap) { mapEl._samtryggMap.invalidateSize(); }
    var lat = document.getElementById("id_lat");
    var setting = false;
    if (lat) {
      lat.addEventListener("change", function () { if (!setting) { choose("karta"); } });
    }
    var button = document.querySelector("[data-tip-position]");
    var status = document.querySelector("[data-tip-position-status]");
    if (!button) { return; }
    if (!navigator.geolocation) { button.hidden = true; return; }
    button.addEventListener("click", function () {
      status.textContent = document.documentElement.lang === "en" ? "Finding your position…" : "Hämtar din position…";
      navigator.geolocation.getCurrentPosition(function (p) {
        setting = true;
        document.getElementById("id_lat").value = p.coords.latitude.toFixed(6);
        document.getElementById("id_lon").value = p.coords.longitude.toFixed(6);
        setting = false;
        choose("position");
        status.textContent = document.documentElement.lang === "en" ? "Your position is chosen." : "Din position är vald.";
      }, function () {
        status.textContent = document.documentElement.lang === "en" ? "Your position could not be read. Tap the map or choose a place." : "Positionen kunde inte läsas. Tryck på kartan eller välj en plats.";
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
