/* Draws every <div class="echart" data-echart="{option}"> with the vendored Apache ECharts; again after an
   htmx swap (the dashboard's panels refresh), and resizes with the window. */
(function () {
  function draw(root) {
    if (!window.echarts) return;
    (root || document).querySelectorAll(".echart[data-echart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var option;
      try { option = JSON.parse(el.dataset.echart); } catch (e) { return; }
      var alt = el.querySelector(".echart-alt");
      if (alt) alt.remove();
      // no animation: a wall screen that refreshes every 30 s should not replay it, and a screenshot shows the data
      if (option.animation === undefined) option.animation = false;
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      el.dataset.drawn = "1";
      // the canvas is decoration of the div's text alternative (role="img" + aria-label)
      el.querySelectorAll("canvas").forEach(function (c) { c.setAttribute("aria-hidden", "true"); });
    });
  }
  function resize() {
    if (!window.echarts) return;
    document.querySelectorAll(".echart[data-drawn]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (e) { draw(e.target); });
  window.addEventListener("resize", resize);
  window.chengguanCharts = { draw: draw, resize: resize };
})();
