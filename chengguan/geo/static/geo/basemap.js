/* One base-map configuration for every map page (config from {% basemap %}, see chengguan/geo/basemaps.py).

   ChengguanMap.create(el, options) makes a Leaflet map with the configured base layers (a switcher when
   there are several, overlays such as 注记 on top) and returns it. Data is stored in GCJ-02; tiles may be
   WGS84/CGCS2000 (天地图) — ChengguanMap.toMap(lng, lat) gives the Leaflet LatLng to draw a stored point at,
   fromMap(latlng) the stored point of a place on the map, geoJSON(data, options) draws stored GeoJSON.
   When the user switches to a base in another system, everything drawn on the map is moved to the new
   system (markers, lines, polygons, GeoJSON, marker clusters, popups) and "cg:crschange" fires; a page that
   asks the API for data in the tiles' system reads ChengguanMap.crs() at each request. */
(function () {
  "use strict";
  var node = document.getElementById("basemap-config");
  var config = node ? JSON.parse(node.textContent) : { bases: [], overlays: [], center: [114.341, 34.797], zoom: 13 };
  var A = 6378245.0, EE = 0.00669342162296594323;

  function outOfChina(lng, lat) { return !(lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271); }
  function offset(lng, lat) {
    var x = lng - 105.0, y = lat - 35.0, sx = Math.sqrt(Math.abs(x)), PI = Math.PI;
    var common = (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    var dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sx + common;
    dlat += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    dlat += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    var dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sx + common;
    dlng += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    dlng += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    var radlat = lat / 180.0 * PI, magic = 1 - EE * Math.sin(radlat) * Math.sin(radlat), sq = Math.sqrt(magic);
    return [(dlng * 180.0) / (A / sq * Math.cos(radlat) * PI), (dlat * 180.0) / ((A * (1 - EE)) / (magic * sq) * PI)];
  }
  function wgsToGcj(lng, lat) {
    if (outOfChina(lng, lat)) { return [lng, lat]; }
    var d = offset(lng, lat);
    return [lng + d[0], lat + d[1]];
  }
  function gcjToWgs(lng, lat) {
    var w = [lng, lat];
    for (var i = 0; i < 30; i++) {
      var f = wgsToGcj(w[0], w[1]), e0 = lng - f[0], e1 = lat - f[1];
      w = [w[0] + e0, w[1] + e1];
      if (Math.abs(e0) < 1e-10 && Math.abs(e1) < 1e-10) { break; }
    }
    return w;
  }

  var active = { crs: (config.bases[0] || {}).crs || "gcj02" };
  var maps = [];  // every map made on this page (ChengguanMap.maps), e.g. for the browser tests
  function isWgs(crs) { return crs === "wgs84" || crs === "cgcs2000"; }
  function toMap(lng, lat) {
    var p = isWgs(active.crs) ? gcjToWgs(lng, lat) : [lng, lat];
    return L.latLng(p[1], p[0]);
  }
  function fromMap(latlng) {
    var p = isWgs(active.crs) ? wgsToGcj(latlng.lng, latlng.lat) : [latlng.lng, latlng.lat];
    return { lng: p[0], lat: p[1], crs: "gcj02" };
  }
  function tileGroup(layer) {
    var parts = layer.tiles.map(function (t) {
      var o = { attribution: t.attribution || "", maxZoom: t.maxZoom || 19, minZoom: t.minZoom || 0 };
      if (t.subdomains) { o.subdomains = t.subdomains; }
      if (t.maxNativeZoom != null) { o.maxNativeZoom = t.maxNativeZoom; }
      if (t.bounds) {  // in the tiles' own system, as the file declares it
        o.bounds = L.latLngBounds(t.bounds);
      }
      return L.tileLayer(t.url, o);
    });
    var group = L.layerGroup(parts);
    group.cgCrs = layer.crs;
    return group;
  }

  function create(el, options) {
    options = options || {};
    var map = L.map(el, Object.assign({ zoomControl: true, attributionControl: config.bases.length > 0 }, options.leaflet || {}));
    var bases = {}, first = null;
    config.bases.forEach(function (layer) {
      var group = tileGroup(layer);
      bases[layer.label] = group;
      if (!first) { first = group; }
    });
    var overlays = {};
    config.overlays.forEach(function (layer) { overlays[layer.label] = tileGroup(layer).addTo(map); });
    if (first && options.base !== false) { first.addTo(map); }
    if (Object.keys(bases).length + Object.keys(overlays).length > 1) {
      L.control.layers(bases, overlays, { collapsed: true, position: "topright" }).addTo(map);
    }
    map.on("baselayerchange", function (e) {
      // A base in another coordinate system: every overlay drawn so far moves to the same place on the new
      // tiles (reproject), the view stays on the same place, and later drawing uses the new system.
      var from = active.crs, to = e.layer.cgCrs;
      if (!to || to === from) { return; }
      active.crs = to;
      reproject(map, from, to);
      map.fire("cg:crschange", { from: from, to: to });
    });
    if (options.scale !== false) { L.control.scale({ imperial: false }).addTo(map); }
    if (options.view !== false) { map.setView(toMap(config.center[0], config.center[1]), options.zoom || config.zoom); }
    el.classList.add(config.bases.length ? "has-basemap" : "no-basemap");
    maps.push(map);
    return map;
  }

  // A point drawn for tiles in system `from`, drawn for tiles in `to` (via the stored system, GCJ-02).
  function convert(latlng, from, to) {
    var p = isWgs(from) ? wgsToGcj(latlng.lng, latlng.lat) : [latlng.lng, latlng.lat];
    var q = isWgs(to) ? gcjToWgs(p[0], p[1]) : p;
    return L.latLng(q[1], q[0]);
  }
  function convertDeep(latlngs, from, to) {
    return latlngs.map(function (v) { return Array.isArray(v) ? convertDeep(v, from, to) : convert(v, from, to); });
  }
  function reproject(map, from, to) {
    if (isWgs(from) === isWgs(to)) { return; }  // WGS84 and CGCS2000 are drawn alike
    var seen = {};
    function move(layer) {
      var id = L.stamp(layer);
      if (seen[id]) { return; }
      seen[id] = true;
      if (layer instanceof L.GridLayer) { return; }  // tiles are in their own system
      if (L.MarkerCluster && layer instanceof L.MarkerCluster) { return; }  // a cluster follows its markers
      if (layer.getLayers && !(layer instanceof L.Path)) {  // groups, GeoJSON, marker clusters
        layer.getLayers().forEach(move);
        return;
      }
      if (layer.setLatLngs && layer.getLatLngs) { layer.setLatLngs(convertDeep(layer.getLatLngs(), from, to)); }
      else if (layer.setLatLng && layer.getLatLng && layer.getLatLng()) { layer.setLatLng(convert(layer.getLatLng(), from, to)); }
    }
    map.eachLayer(move);
    map.setView(convert(map.getCenter(), from, to), map.getZoom(), { animate: false });
  }

  function geoJSON(data, options) {
    options = Object.assign({}, options || {});
    options.coordsToLatLng = function (c) { return toMap(c[0], c[1]); };
    return L.geoJSON(data, options);
  }

  window.ChengguanMap = {
    config: config, create: create, maps: maps, toMap: toMap, fromMap: fromMap, geoJSON: geoJSON,
    crs: function () { return active.crs; }, wgsToGcj: wgsToGcj, gcjToWgs: gcjToWgs
  };
})();
