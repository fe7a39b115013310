/* The permit check map: valid permits (green) and vending zones (blue) from the register; a tap on the map
   fills the finding form's point (stored as GCJ-02) and shows a pin. */
(function () {
  "use strict";
  var el = document.getElementById("permit-map");
  if (!el || !window.L || !window.ChengguanMap) { return; }
  var map = ChengguanMap.create(el, { zoom: 14 });
  var layer = null, pin = null, fitted = false;
  function draw(data) {
    if (layer) { map.removeLayer(layer); }
    layer = ChengguanMap.geoJSON(data, {
      pointToLayer: function (f, ll) {
        var zone = f.properties.kind === "zone";
        return L.circleMarker(ll, { radius: zone ? 10 : 6, weight: 2, color: "#fff",
          fillColor: zone ? "#2563eb" : "#16a34a", fillOpacity: 0.9 });
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindTooltip(p.kind === "zone" ? p.name + " · " + p.hours + " · " + p.free + "/" + p.capacity
          : p.kind_label + " " + p.permit_number + " · " + p.holder + " · " + p.valid_to);
      }
    }).addTo(map);
    var b = layer.getBounds();
    if (!fitted && b.isValid()) { map.fitBounds(b, { padding: [20, 20], maxZoom: 16 }); fitted = true; }
  }
  var cache = null;
  fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
    .then(function (d) { cache = d; draw(d); });
  map.on("cg:crschange", function () { if (cache) { draw(cache); } });
  var lng = document.getElementById("id_lng"), lat = document.getElementById("id_lat");
  map.on("click", function (e) {
    var p = ChengguanMap.fromMap(e.latlng);
    if (lng && lat) { lng.value = p.lng.toFixed(6); lat.value = p.lat.toFixed(6); }
    if (pin) { map.removeLayer(pin); }
    pin = L.marker(e.latlng, { title: "📍" }).addTo(map);
  });
})();
