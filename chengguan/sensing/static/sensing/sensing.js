/* The monitoring map: devices by state and the last day's live alarms; no tiles unless the site has a tile URL. */
(function () {
  "use strict";
  var el = document.getElementById("sense-map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { attributionControl: false });
  map.setView([34.81, 114.32], 13);
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { subdomains: "01234567" }).addTo(map); }
  var colors = { camera: "#2563eb", online: "#16a34a", alarm: "#dc2626", offline: "#94a3b8" };
  function color(p) { return p.kind === "camera" ? (p.state === "online" ? colors.camera : colors.offline) : colors[p.state]; }
  var devices = L.geoJSON(null, {
    pointToLayer: function (f, ll) {
      var p = f.properties;
      return p.kind === "camera"
        ? L.marker(ll, { icon: L.divIcon({ className: "cam-icon", html: "<span style='background:" + color(p) + "'></span>", iconSize: [14, 14] }) })
        : L.circleMarker(ll, { radius: 7, weight: 2, color: "#fff", fillColor: color(p), fillOpacity: 1 });
    },
    onEachFeature: function (f, l) {
      var p = f.properties;
      l.bindTooltip(p.name + (p.value !== undefined && p.value !== null ? " · " + p.value + (p.unit || "") : ""));
      if (p.live) { l.on("click", function () { window.location.href = p.live; }); }
    }
  }).addTo(map);
  var alarms = L.geoJSON(null, {
    pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 14, weight: 3, color: "#dc2626", fill: false }); },
    onEachFeature: function (f, l) { l.bindTooltip(f.properties.at + " " + f.properties.matter + " · " + f.properties.status); }
  }).addTo(map);
  function load(layer, url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d) { layer.clearLayers(); layer.addData(d); } });
  }
  var fitted = false;
  function refresh() {
    Promise.all([load(devices, el.dataset.devices), load(alarms, el.dataset.alarms)]).then(function () {
      var b = devices.getBounds();
      if (!fitted && b.isValid()) { map.fitBounds(b, { padding: [20, 20], maxZoom: 16 }); fitted = true; }
    });
  }
  refresh();
  setInterval(refresh, 30000);
})();
