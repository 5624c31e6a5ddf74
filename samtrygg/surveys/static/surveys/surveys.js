/* Survey results: the charts with vega-embed (expression interpreter, no eval under the CSP).
   Without script the table beside each chart carries the same numbers. */
(function () {
  "use strict";
  if (typeof vegaEmbed !== "function") { return; }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    if (el.clientWidth && el.clientWidth < 640) {
      spec.width = Math.max(200, el.clientWidth - 160);
    }
    vegaEmbed(el, spec, { ast: true, actions: false, renderer: "svg" })
      .then(function () { el.dataset.rendered = "1"; el.removeAttribute("hidden"); })
      .catch(function () { el.textContent = ""; });
  });
})();
