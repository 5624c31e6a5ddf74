/* The chart behind a fact answer, drawn with vega-embed (the expression interpreter, so no
   eval under the content security policy); the table beside it holds the same numbers. */
(function () {
  "use strict";
  function charts() {
    if (typeof vegaEmbed !== "function") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) { return; }
      vegaEmbed(el, JSON.parse(source.textContent), { ast: true, actions: false, renderer: "svg" })
        .then(function () { el.dataset.rendered = "1"; })
        .catch(function () { el.hidden = true; });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", charts); }
  else { charts(); }
})();
