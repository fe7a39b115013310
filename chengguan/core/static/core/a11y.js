/* 大字 (large text) mode, remembered on the device: loaded in <head> (not deferred) so that the page is drawn
   in the chosen size from the start; the toggle in the top bar switches it. No inline script (CSP). */
(function () {
  var KEY = "chengguan.bigText";
  var root = document.documentElement;
  function stored() { try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; } }
  function apply(on) {
    root.classList.toggle("big-text", on);
    var button = document.getElementById("big-text");
    if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    var button = document.getElementById("big-text");
    if (!button) return;
    button.addEventListener("click", function () {
      var on = !root.classList.contains("big-text");
      try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
      apply(on);
      if (window.chengguanCharts) window.chengguanCharts.resize();
    });
  });
})();
