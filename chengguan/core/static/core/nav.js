/* The staff menu refreshes its counts every 30 s (htmx). When a queue grew, say so on the page and, if the user
   switched the sound on (remembered in localStorage), play a short tone. No inline script: the CSP forbids it. */
(function () {
  "use strict";
  var KEY = "chengguan.sound";
  function counts(nav) {
    var out = {};
    if (!nav) return out;
    nav.querySelectorAll("a[data-count]").forEach(function (a) {
      out[a.dataset.key + "|" + a.getAttribute("href")] = { n: parseInt(a.dataset.count, 10) || 0, label: a.dataset.label };
    });
    return out;
  }
  function tone() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      var ctx = new Ctx(), osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = 880; gain.gain.value = 0.08;
      osc.connect(gain); gain.connect(ctx.destination);
      osc.start(); osc.stop(ctx.currentTime + 0.25);
    } catch (e) { /* no audio on this device */ }
  }
  function announce(lines) {
    var box = document.getElementById("nav-announce");
    if (!box) return;
    box.textContent = lines.join("；");
    box.hidden = false;
    if (localStorage.getItem(KEY) === "on") tone();
  }
  function bindSound() {
    var button = document.querySelector("#staffnav .sound");
    if (!button) return;
    var on = localStorage.getItem(KEY) === "on";
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.classList.toggle("on", on);
    button.onclick = function () {
      localStorage.setItem(KEY, localStorage.getItem(KEY) === "on" ? "off" : "on");
      bindSound();
    };
  }
  // The page arrives without counts; the first answer of /nav/counts/ (on load) fills them in and is not news.
  var before = null;
  document.addEventListener("DOMContentLoaded", bindSound);
  document.addEventListener("htmx:afterSwap", function () {
    var nav = document.getElementById("staffnav");
    if (!nav) return;
    var now = counts(nav), lines = [];
    if (before === null) { before = now; bindSound(); return; }
    Object.keys(now).forEach(function (k) {
      var old = before[k] ? before[k].n : 0;
      if (now[k].n > old) lines.push(now[k].label + " +" + (now[k].n - old));
    });
    before = now;
    bindSound();
    if (lines.length) announce(lines);
  });
})();
