/* Samtrygg main menu. "Meny" and "Mer" are <details> elements and work without script;
   this only closes an open one on Escape (focus goes back to its button), on a click
   elsewhere on the page, and when keyboard focus moves out of it. */
(function () {
  "use strict";
  var menus = Array.prototype.slice.call(document.querySelectorAll("details[data-nav-disclosure]"));
  if (!menus.length) return;

  function summaryOf(details) {
    return details.querySelector(":scope > summary");
  }

  document.addEventListener("click", function (event) {
    menus.forEach(function (details) {
      if (details.open && !details.contains(event.target)) details.open = false;
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    // Document order puts "Meny" before the "Mer" inside it: close the innermost first.
    var open = menus.filter(function (details) {
      return details.open && details.contains(document.activeElement);
    });
    if (!open.length) return;
    var innermost = open[open.length - 1];
    innermost.open = false;
    summaryOf(innermost).focus();
  });

  menus.forEach(function (details) {
    details.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (details.open && next && !details.contains(next)) details.open = false;
    });
  });
})();
