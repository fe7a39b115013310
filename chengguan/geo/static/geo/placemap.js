/* {% place_map %}: stored (GCJ-02) points on the shared base map, with the unit grid (solid) and the
   responsibility grid (dashed) around a single point. Markers are named for screen readers. Needs basemap.js. */
(function () {
  "use strict";

  function setup(el) {
    var CM = window.ChengguanMap;
    var data = JSON.parse(document.getElementById(el.dataset.placeMap).textContent);
    var map = CM.create(el, { view: false });
    var bounds = [];
    data.points.forEach(function (p, i) {
      var at = CM.toMap(p.lng, p.lat);
      var label = p.label || String(i + 1);
      var marker = L.marker(at, { title: label, alt: label, keyboard: !!p.label }).addTo(map);
      if (p.label) { marker.bindTooltip(label); }
      bounds.push(at);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 17); }
    else { map.fitBounds(bounds, { maxZoom: 17, padding: [24, 24] }); }
    if (data.outlinesUrl && data.points.length === 1) {
      var p = data.points[0];
      fetch(data.outlinesUrl + "?lng=" + p.lng + "&lat=" + p.lat, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (fc) {
          if (!fc) { return; }
          CM.geoJSON(fc, {
            interactive: false,
            style: function (f) {
              return f.properties.kind === "unit_grid"
                ? { color: "#d9480f", weight: 2, fillOpacity: 0.08 }
                : { color: "#1f5fa8", weight: 2, dashArray: "6 4", fill: false };
            }
          }).addTo(map);
        }).catch(function () { /* the point still shows */ });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L || !window.ChengguanMap) { return; }
    document.querySelectorAll("[data-place-map]").forEach(setup);
  });
})();
