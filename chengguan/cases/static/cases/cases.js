/* Case pages: maps (Leaflet, no tiles needed) and the supervisor's position. No inline scripts (CSP). */
(function () {
  "use strict";

  function dot(light) {
    return L.divIcon({ className: "", html: '<div class="case-dot ' + (light || "none") + '"></div>', iconSize: [14, 14] });
  }

  function drawMap(el) {
    var data = JSON.parse(document.getElementById(el.dataset.map).textContent);
    var points = Array.isArray(data) ? data : [data];
    var map = L.map(el, { attributionControl: !!el.dataset.tiles });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", subdomains: "01234567" }).addTo(map);
    }
    var bounds = [];
    points.forEach(function (p) {
      var label = p.number + (p.matter ? " · " + p.matter : "");
      // title names the marker for screen readers (an interactive marker is a button: WCAG 4.1.2)
      var marker = L.marker([p.lat, p.lng], { icon: dot(p.light), title: label, alt: label }).addTo(map);
      marker.bindTooltip(label);
      if (p.id) {
        marker.on("click", function () {
          var row = document.getElementById("case-" + p.id);
          if (row) { row.scrollIntoView({ behavior: "smooth", block: "center" }); }
        });
      }
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
    } else {
      map.setView([34.797, 114.341], 12);
    }
    L.control.scale({ imperial: false }).addTo(map);
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
