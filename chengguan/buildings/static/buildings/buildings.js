/* The ledger map: one dot per structure, coloured by status; a click opens the item. */
(function () {
  "use strict";
  var el = document.getElementById("bld-map");
  if (!el || !window.L || !window.ChengguanMap) { return; }
  var map = ChengguanMap.create(el, { zoom: 13 });
  var colors = { pending: "#dc2626", stopped: "#d97706", retained: "#4f46e5", demolished: "#16a34a" };
  var layer = null, data = null, fitted = false;
  function draw() {
    if (layer) { map.removeLayer(layer); }
    layer = ChengguanMap.geoJSON(data, {
      pointToLayer: function (f, ll) {
        var r = Math.max(5, Math.min(14, Math.sqrt(f.properties.area) / 3));
        return L.circleMarker(ll, { radius: r, weight: 1, color: "#fff", fillColor: colors[f.properties.status], fillOpacity: 0.85 });
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindTooltip(p.number + " · " + p.address + " · " + p.area + " m² · " + p.category + " · " + p.status_label);
        l.on("click", function () { window.location.href = p.url; });
      }
    }).addTo(map);
    var b = layer.getBounds();
    if (!fitted && b.isValid()) { map.fitBounds(b, { padding: [20, 20], maxZoom: 16 }); fitted = true; }
  }
  fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
    .then(function (d) { data = d; draw(); });
  map.on("cg:crschange", function () { if (data) { draw(); } });
})();
