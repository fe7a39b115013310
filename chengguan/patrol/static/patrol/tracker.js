// Patrol tracker: records a GPS fix at most every `interval` seconds while patrolling, keeps the points in
// localStorage (so nothing is lost offline or when the page reloads) and sends them in batches. The server
// stores each point once (by its id), so resending after a timeout is harmless.
(function () {
  "use strict";
  var root = document.getElementById("tracker");
  if (!root) return;
  var endpoint = root.dataset.endpoint, csrf = root.dataset.csrf;
  var interval = parseInt(root.dataset.interval, 10) * 1000;
  var key = "patrol-queue-" + root.dataset.user, flagKey = "patrol-on-" + root.dataset.user;
  var els = {
    state: document.getElementById("state"), start: document.getElementById("start"),
    stop: document.getElementById("stop"), last: document.getElementById("last"),
    queued: document.getElementById("queued"), sent: document.getElementById("sent"),
  };
  var watchId = null, lastKept = 0, sending = false, sent = 0, timer = null;

  function load() { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } }
  function save(q) { localStorage.setItem(key, JSON.stringify(q)); els.queued.textContent = q.length; }
  function uid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function onFix(pos) {
    var now = pos.timestamp || Date.now();
    els.last.textContent = new Date(now).toLocaleTimeString() + " ±" + Math.round(pos.coords.accuracy) + " m";
    if (now - lastKept < interval) return;
    lastKept = now;
    var q = load();
    q.push({ id: uid(), t: new Date(now).toISOString(), lng: pos.coords.longitude, lat: pos.coords.latitude,
             accuracy: pos.coords.accuracy });
    save(q);
  }

  function onError(err) {
    els.state.textContent = err && err.code === 1 ? root.dataset.textDenied : root.dataset.textNogps;
  }

  function flush() {
    var q = load();
    if (sending || !q.length || navigator.onLine === false) return;
    sending = true;
    var batch = q.slice(0, 500);
    fetch(endpoint, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ crs: "wgs84", points: batch }),
    }).then(function (r) {
      if (r.ok || r.status === 422) {  // stored (or malformed: dropping it keeps the queue moving)
        var ids = {}; batch.forEach(function (p) { ids[p.id] = true; });
        save(load().filter(function (p) { return !ids[p.id]; }));
        if (r.ok) { sent += batch.length; els.sent.textContent = sent; }
      }
    }).catch(function () { /* offline: keep the queue */ }).finally(function () { sending = false; });
  }

  function start() {
    if (!navigator.geolocation) { onError(null); return; }
    watchId = navigator.geolocation.watchPosition(onFix, onError,
      { enableHighAccuracy: true, maximumAge: 10000, timeout: 60000 });
    localStorage.setItem(flagKey, "1");
    els.state.textContent = root.dataset.textOn;
    els.start.hidden = true; els.stop.hidden = false;
    timer = setInterval(flush, interval);
  }

  function stop() {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
    localStorage.removeItem(flagKey);
    clearInterval(timer);
    els.state.textContent = root.dataset.textIdle;
    els.start.hidden = false; els.stop.hidden = true;
    flush();
  }

  els.start.addEventListener("click", start);
  els.stop.addEventListener("click", stop);
  window.addEventListener("online", flush);
  save(load());
  if (localStorage.getItem(flagKey) === "1") start();
  flush();
})();
