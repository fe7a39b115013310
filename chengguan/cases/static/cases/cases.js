/* Case pages: maps (Leaflet, no tiles needed) and the supervisor's position. No inline scripts (CSP). */
(function () {
  "use strict";

  function dot(light) {
    return L.divIcon({ className: "", html: '<div class="case-dot ' + (light || "none") + '"></div>', iconSize: [14, 14] });
  }

  function drawMap(el) {
    var data = JSON.parse(document.getElementById(el.dataset.map).textContent);
    var points = Array.isArray(data) ? data : [data];
    var CM = window.ChengguanMap;  // the shared base map (chengguan/geo/static/geo/basemap.js)
    var map = CM ? CM.create(el, { view: false, scale: false }) : L.map(el, { attributionControl: !!el.dataset.tiles });
    if (!CM && el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", subdomains: "01234567" }).addTo(map);
    }
    function at(p) { return CM ? CM.toMap(p.lng, p.lat) : L.latLng(p.lat, p.lng); }
    var bounds = [];
    points.forEach(function (p) {
      var label = p.number + (p.matter ? " · " + p.matter : "");
      // title names the marker for screen readers (an interactive marker is a button: WCAG 4.1.2)
      var marker = L.marker(at(p), { icon: dot(p.light), title: label, alt: label }).addTo(map);
      marker.bindTooltip(label);
      if (p.id) {
        marker.on("click", function () {
          var row = document.getElementById("case-" + p.id);
          if (row) { row.scrollIntoView({ behavior: "smooth", block: "center" }); }
        });
      }
      bounds.push(at(p));
    });
    if (bounds.length) {
      map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
    } else {
      map.setView([34.797, 114.341], 12);
    }
    L.control.scale({ imperial: false }).addTo(map);
    if (CM && el.dataset.outlinesUrl && points.length === 1) {  // the unit grid and the responsibility grid
      fetch(el.dataset.outlinesUrl + "?lng=" + points[0].lng + "&lat=" + points[0].lat, { credentials: "same-origin" })
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
        }).catch(function () { /* the case still shows without outlines */ });
    }
  }

  function locate() {
    var out = document.getElementById("position");
    if (!navigator.geolocation) { out.textContent = "geolocation unavailable"; return; }
    out.textContent = "…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("lng").value = pos.coords.longitude.toFixed(7);
      document.getElementById("lat").value = pos.coords.latitude.toFixed(7);
      document.getElementById("crs").value = "wgs84"; // browsers report WGS84
      out.textContent = pos.coords.longitude.toFixed(5) + ", " + pos.coords.latitude.toFixed(5) +
        " (±" + Math.round(pos.coords.accuracy) + " m)";
    }, function (err) {
      out.textContent = err.message;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.L) { document.querySelectorAll("[data-map]").forEach(drawMap); }
    var button = document.getElementById("locate");
    if (button) {
      button.addEventListener("click", locate);
      if (!document.getElementById("lng").value) { locate(); }
    }
  });
})();
