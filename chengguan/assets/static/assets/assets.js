/* A vehicle's track of the day: the line, its start and its end; no tiles unless the site has a tile URL. */
(function () {
  "use strict";
  var el = document.getElementById("vehicle-map"), data = document.getElementById("vehicle-line");
  if (!el || !data || !window.L) { return; }
  var line = JSON.parse(data.textContent);
  var map = L.map(el, { attributionControl: false });
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { subdomains: "01234567" }).addTo(map); }
  var poly = L.polyline(line, { color: "#2563eb", weight: 4 }).addTo(map);
  L.circleMarker(line[0], { radius: 7, color: "#fff", weight: 2, fillColor: "#16a34a", fillOpacity: 1 }).addTo(map);
  L.circleMarker(line[line.length - 1], { radius: 7, color: "#fff", weight: 2, fillColor: "#dc2626", fillOpacity: 1 }).addTo(map);
  map.fitBounds(poly.getBounds(), { padding: [20, 20], maxZoom: 16 });
})();
