/* Grid map: district/street outlines at low zoom, unit grids in view from zoom 14, click → locate. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("grid-map-config").textContent);
  var L = window.L;
  var palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];
  var colourOf = {};
  config.districts.forEach(function (d, i) { colourOf[d.code] = palette[i % palette.length]; });
  document.querySelectorAll("#grid-legend li[data-district]").forEach(function (li) {
    li.querySelector(".swatch").style.background = colourOf[li.dataset.district];
  });
  function colour(code) { return colourOf[code] || "#555"; }
  var status = document.getElementById("grid-status");
  function say(text) { status.textContent = text || ""; }

  var CM = window.ChengguanMap;  // the shared base map (chengguan/geo/static/geo/basemap.js)
  var map = CM ? CM.create(document.getElementById("grid-map"), { view: false, leaflet: { preferCanvas: true } })
    : L.map("grid-map", { preferCanvas: true, zoomControl: true });
  map.setView(CM ? CM.toMap(114.35, 34.79) : [34.79, 114.35], 12);
  if (!CM && config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  // The layers are asked for in the base map's own system, so they line up with its streets (read at each
  // request: the user may switch to a base in another system; what is drawn already is moved by basemap.js).
  function crs() { return "crs=" + encodeURIComponent(CM ? CM.crs() : config.crs); }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    });
  }

  var outlines = L.geoJSON(null, {
    style: function (f) { return { color: colour(f.properties.district), weight: 1.5, fillOpacity: 0.08 }; },
    interactive: false
  }).addTo(map);
  getJSON(config.regionsUrl + "?level=street&" + crs()).then(function (res) {
    if (!res.ok) { say(config.labels.error); return; }
    outlines.addData(res.body);
    if (outlines.getLayers().length) { map.fitBounds(outlines.getBounds()); }
  }).catch(function () { say(config.labels.error); });

  var grids = L.geoJSON(null, {
    style: function (f) { return { color: colour(f.properties.district), weight: 0.6, fillOpacity: 0.25 }; },
    interactive: false
  }).addTo(map);
  var pending = 0;
  function loadGrids() {
    if (map.getZoom() < config.gridZoom) { grids.clearLayers(); say(config.labels.zoomIn); return; }
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(6); }).join(",");
    var ticket = ++pending;
    getJSON(config.gridsUrl + "?bbox=" + bbox + "&" + crs()).then(function (res) {
      if (ticket !== pending) { return; }
      if (!res.ok) { say(config.labels.error); return; }
      grids.clearLayers();
      grids.addData(res.body);
      say(res.body.truncated ? config.labels.truncated : "");
    }).catch(function () { say(config.labels.error); });
  }
  var timer = null;
  map.on("moveend", function () { clearTimeout(timer); timer = setTimeout(loadGrids, 150); });
  loadGrids();

  function row(term, value) {
    var dt = document.createElement("dt"); dt.textContent = term;
    var dd = document.createElement("dd"); dd.textContent = value || "—";
    return [dt, dd];
  }
  map.on("click", function (e) {
    var url = config.locateUrl + "?lng=" + e.latlng.lng.toFixed(7) + "&lat=" + e.latlng.lat.toFixed(7) + "&" + crs();
    getJSON(url).then(function (res) {
      var box = document.createElement("dl");
      box.className = "grid-popup";
      if (!res.ok) {
        box.textContent = res.body.code === "outside_city" ? config.labels.outside : (res.body.detail || config.labels.error);
      } else {
        var b = res.body, l = config.labels;
        [
          row(l.unitGrid, b.unit_grid.code),
          row(l.community, b.community && (b.community.name + " " + b.community.code)),
          row(l.street, b.street && b.street.name),
          row(l.district, b.district && b.district.name),
          row(l.responsibilityGrid, b.responsibility_grid && (b.responsibility_grid.name + " (" + b.responsibility_grid.code + ")"))
        ].forEach(function (pair) { box.appendChild(pair[0]); box.appendChild(pair[1]); });
      }
      L.popup().setLatLng(e.latlng).setContent(box).openOn(map);
    }).catch(function () { say(config.labels.error); });
  });
})();
