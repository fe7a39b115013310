/* The dashboard map: district outlines, a heat layer of open cases per unit grid, live cases by traffic light
   and supervisors' latest positions over the shared base map (dimmed by geo/maps.css). Reloads its layers every `refresh` s. */
(function () {
  "use strict";
  var el = document.getElementById("dash-map");
  if (!el || !window.L) { return; }
  var CM = window.ChengguanMap;  // the shared base map (chengguan/geo/static/geo/basemap.js)
  var map = CM ? CM.create(el, { view: false, leaflet: { attributionControl: false, preferCanvas: true } })
    : L.map(el, { zoomControl: true, attributionControl: false, preferCanvas: true });
  map.setView(CM ? CM.toMap(114.35, 34.8) : [34.8, 114.35], 11);
  var geoJSON = CM ? CM.geoJSON : L.geoJSON;
  var colors = { green: "#22c55e", yellow: "#facc15", red: "#ef4444" };
  var layers = {
    regions: geoJSON(null, { style: { color: "#475569", weight: 1.5, fill: false, dashArray: "4 4" } }).addTo(map),
    grids: geoJSON(null, {
      style: function (f) {
        var h = f.properties.heat || 0;
        var c = h > 0.66 ? "#dc2626" : h > 0.33 ? "#f59e0b" : "#1e3a5f";
        return { color: c, weight: 0.5, fillColor: c, fillOpacity: 0.25 + 0.5 * h };
      },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.code + " · " + f.properties.open); }
    }).addTo(map),
    cases: geoJSON(null, {
      pointToLayer: function (f, ll) {
        return L.circleMarker(ll, { radius: 5, weight: 1, color: "#0b1220", fillColor: colors[f.properties.light] || "#94a3b8", fillOpacity: 0.95 });
      },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.number + " " + f.properties.matter); }
    }).addTo(map),
    supervisors: geoJSON(null, {
      pointToLayer: function (f, ll) {
        return L.circleMarker(ll, { radius: 7, weight: 2, color: "#ffffff", fillColor: "#38bdf8", fillOpacity: 1 });
      },
      onEachFeature: function (f, l) {
        l.bindTooltip(f.properties.name + " · " + f.properties.at, { direction: "right", className: "sup-label" });
      }
    }).addTo(map)
  };
  // Sensing layers (when the sensing app is installed): cameras, sensors by state, the last day's live alarms.
  if (el.dataset.devices) {
    var sensorColors = { online: "#a3e635", alarm: "#f43f5e", offline: "#64748b" };
    layers.devices = L.geoJSON(null, {
      pointToLayer: function (f, ll) {
        var p = f.properties;
        return p.kind === "camera"
          ? L.circleMarker(ll, { radius: 4, weight: 2, color: "#c084fc", fillColor: "#0b1220", fillOpacity: 1 })
          : L.circleMarker(ll, { radius: 4, weight: 1, color: "#0b1220", fillColor: sensorColors[p.state] || "#64748b", fillOpacity: 1 });
      },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.name); }
    }).addTo(map);
    layers.alarms = L.geoJSON(null, {
      pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 11, weight: 2, color: "#f43f5e", fill: false }); },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.at + " " + f.properties.matter); }
    }).addTo(map);
  }
  var fitted = false;
  function load(name, url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        layers[name].clearLayers();
        layers[name].addData(data);
      })
      .catch(function () { /* keep the last picture on a network hiccup */ });
  }
  function fit() {
    // Frame where the work is (grids with open cases, the cases), not the whole county-level city.
    if (fitted) { return; }
    var b = layers.grids.getBounds();
    var c = layers.cases.getBounds();
    if (c.isValid()) { b = b.isValid() ? b.extend(c) : c; }
    if (!b.isValid()) { b = layers.regions.getBounds(); }
    if (b.isValid()) { map.fitBounds(b, { padding: [24, 24], maxZoom: 16 }); fitted = true; }
  }
  function refresh() {
    return Promise.all([
      load("grids", el.dataset.grids),
      load("cases", el.dataset.cases),
      load("supervisors", el.dataset.supervisors),
      el.dataset.devices ? load("devices", el.dataset.devices) : null,
      el.dataset.alarms ? load("alarms", el.dataset.alarms) : null
    ]).then(fit);
  }
  load("regions", el.dataset.regions).then(refresh);
  setInterval(refresh, (parseInt(el.dataset.refresh, 10) || 30) * 1000);
  window.addEventListener("resize", function () { map.invalidateSize(); });
})();
