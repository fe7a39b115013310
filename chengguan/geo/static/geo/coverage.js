/* Patrol coverage map: the responsibility grids' unit grids on the shared base map, visited ones green. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("coverage-map"), data = document.getElementById("coverage-map-data");
    if (!el || !data || !window.L || !window.ChengguanMap) { return; }
    var map = window.ChengguanMap.create(el, { view: false, leaflet: { preferCanvas: true } });
    var layer = window.ChengguanMap.geoJSON(JSON.parse(data.textContent), {
      style: function (f) {
        return f.properties.visited ? { color: "#15803d", weight: 1, fillColor: "#22c55e", fillOpacity: 0.45 }
          : { color: "#64748b", weight: 1, fillColor: "#94a3b8", fillOpacity: 0.15 };
      },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.code); }
    }).addTo(map);
    if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds(), { padding: [12, 12] }); }
  });
})();
