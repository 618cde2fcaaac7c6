// ECharts without inline scripts. A page renders its chart options with Django's json_script
// (a <script type="application/json">, which CSP allows because it never runs) and a container:
//
//   {{ option|json_script:"chart-by-town" }}
//   <div class="renda-chart" data-chart-option="chart-by-town" role="img" aria-label="…"></div>
//
// and loads vendor/echarts/echarts.min.js then this file in {% block scripts %} with the nonce.
// Charts inside htmx-swapped content are drawn too. Animation is off: screenshots and people who
// asked for reduced motion get the final chart at once.
(function () {
  "use strict";

  // The Renda palette first (the header red, the gold rule, link blue), then muted tones.
  var PALETTE = ["#9b1c1c", "#c9a227", "#0b4f9c", "#1f7a3d", "#b35c00", "#5a6069", "#7a5195", "#2a9d8f"];

  function draw(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart-option]").forEach(function (el) {
      if (window.echarts.getInstanceByDom(el)) return;
      var source = document.getElementById(el.getAttribute("data-chart-option"));
      if (!source) return;
      var option = JSON.parse(source.textContent);
      option.animation = false;
      option.color = option.color || PALETTE;
      option.textStyle = Object.assign({ fontFamily: getComputedStyle(document.body).fontFamily }, option.textStyle);
      var chart = window.echarts.init(el, null, { renderer: "svg", locale: "ZH" });
      chart.setOption(option);
    });
  }

  function resizeAll() {
    document.querySelectorAll("[data-chart-option]").forEach(function (el) {
      var chart = window.echarts && window.echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
  document.addEventListener("htmx:load", function (event) { draw(event.target); });
  window.addEventListener("resize", resizeAll);
})();
