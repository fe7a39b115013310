/* Citizen portal: the report form's map, device location, category search and duplicate suggestions, and the
   public map. Plain JavaScript, no inline scripts (the site's Content-Security-Policy forbids them). */
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }

  var CM = window.ChengguanMap;  // the shared base map (chengguan/geo/static/geo/basemap.js)
  function at(lng, lat) { return CM ? CM.toMap(lng, lat) : L.latLng(lat, lng); }  // a stored (GCJ-02) point

  function baseMap(node) {
    var map = CM ? CM.create(node, { view: false }) : L.map(node, { zoomControl: true });
    if (!CM && node.dataset.tileUrl) {
      L.tileLayer(node.dataset.tileUrl, { attribution: node.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    map.setView([35, 105], 4);
    fetch(node.dataset.regionsUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (fc) {
        if (!fc.features || !fc.features.length) { return; }
        var outline = (CM ? CM.geoJSON : L.geoJSON)(fc, { style: { color: "#1f5fa8", weight: 1, fillOpacity: 0.04 }, interactive: false });
        outline.addTo(map);
        if (!node.dataset.pinned) { map.fitBounds(outline.getBounds()); }
      })
      .catch(function () { /* the map still works without outlines */ });
    return map;
  }

  function reportForm(form) {
    var mapNode = byId("report-map");
    var lng = byId("id_lng"), lat = byId("id_lat"), crs = byId("id_crs");
    var status = byId("location-status"), select = byId("id_matter"), search = byId("matter-search");
    var nearbyBox = byId("nearby");
    var msg = form.dataset;
    var map = baseMap(mapNode);
    var marker = null;

    function say(text, isError) {
      status.textContent = text;
      status.classList.toggle("error", !!isError);
    }

    function pin(y, x) {
      if (marker) { marker.setLatLng(at(x, y)); } else {
        marker = L.marker(at(x, y), { draggable: true, autoPan: true }).addTo(map);
        marker.on("dragend", function () {  // the citizen drags the pin onto the exact spot
          var p = CM ? CM.fromMap(marker.getLatLng()) : { lng: marker.getLatLng().lng, lat: marker.getLatLng().lat };
          locate(p.lng, p.lat, "gcj02");
        });
      }
      mapNode.dataset.pinned = "1";
      map.setView(at(x, y), Math.max(map.getZoom(), 16));
    }

    function checkNearby() {
      if (!select.value || !lng.value || !lat.value) { nearbyBox.innerHTML = ""; return; }
      var query = new URLSearchParams({ matter: select.value, lng: lng.value, lat: lat.value, crs: crs.value });
      fetch(nearbyBox.dataset.url + "?" + query.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) { nearbyBox.innerHTML = html; })
        .catch(function () { nearbyBox.innerHTML = ""; });
    }

    function locate(x, y, system) {
      say(msg.msgChecking);
      var query = new URLSearchParams({ lng: x, lat: y, crs: system });
      fetch(mapNode.dataset.locateUrl + "?" + query.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          if (!d.ok) {
            lng.value = ""; lat.value = "";
            say(d.error || msg.msgOutside, true);
            return;
          }
          lng.value = d.lng; lat.value = d.lat; crs.value = "gcj02";
          pin(d.lat, d.lng);
          say(msg.msgLocated.replace("{place}", (d.district || "") + " " + d.community));
          checkNearby();
        })
        .catch(function () { say(msg.msgFailed, true); });
    }

    map.on("click", function (e) {
      var p = CM ? CM.fromMap(e.latlng) : { lng: e.latlng.lng, lat: e.latlng.lat };
      locate(p.lng, p.lat, "gcj02");
    });
    byId("use-location").addEventListener("click", function () {
      if (!navigator.geolocation) { say(msg.msgNoGeo, true); return; }
      say(msg.msgLocating);
      navigator.geolocation.getCurrentPosition(
        function (p) { locate(p.coords.longitude, p.coords.latitude, "wgs84"); },
        function () { say(msg.msgGeoFailed, true); },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });

    search.addEventListener("input", function () {
      var q = search.value.trim();
      var first = null;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var groupMatches = q && (group.label.indexOf(q) >= 0 || (group.dataset.words || "").indexOf(q) >= 0);
        var visible = 0;
        Array.prototype.forEach.call(group.querySelectorAll("option"), function (o) {
          var match = !q || groupMatches || o.text.indexOf(q) >= 0;
          o.hidden = !match;
          if (match) { visible += 1; if (!first) { first = o; } }
        });
        group.hidden = visible === 0;
      });
      var current = select.options[select.selectedIndex];
      if (first && (!current || current.hidden)) { first.selected = true; checkNearby(); }
    });
    select.addEventListener("change", checkNearby);

    if (lng.value && lat.value) { locate(lng.value, lat.value, crs.value || "gcj02"); }
    addressSearch(form, function (c) {
      var address = byId("id_address");
      if (address && !address.value.trim()) { address.value = c.full; }
      locate(c.lng, c.lat, "gcj02");
    });
  }

  // The public address search (/p/addresses.json, the gazetteer only): a candidate places the pin.
  function addressSearch(form, pick) {
    var box = form.querySelector(".address-search");
    if (!box) { return; }
    var input = box.querySelector("input"), list = box.querySelector(".address-candidates");
    var none = box.querySelector(".address-none"), d = box.dataset, timer = null, ticket = 0;
    function run() {
      var q = input.value.trim(), mine = ++ticket;
      list.innerHTML = "";
      none.hidden = true;
      if (!q) { return; }
      fetch(d.url + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json().then(function (b) { return { status: r.status, body: b }; }); })
        .then(function (res) {
          if (mine !== ticket) { return; }
          if (res.status === 429) { none.textContent = d.msgBusy; none.hidden = false; return; }
          var results = res.status === 200 ? res.body.results : [];
          if (!results.length) { none.textContent = d.msgNone; none.hidden = false; return; }
          results.forEach(function (c) {
            var li = document.createElement("li"), b = document.createElement("button");
            b.type = "button";
            b.className = "address-candidate";
            b.textContent = c.full;
            var small = document.createElement("small");
            small.textContent = [c.district, c.community].filter(Boolean).join(" ") + (c.is_demo ? " · " + d.msgDemo : "");
            b.appendChild(small);
            b.addEventListener("click", function () { list.innerHTML = ""; input.value = c.full; pick(c); });
            li.appendChild(b);
            list.appendChild(li);
          });
        })
        .catch(function () { /* the map still works */ });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); run(); }  // Enter must not send the report
    });
  }

  function publicMap(node) {
    var map = baseMap(node);
    // Clusters (vendored Leaflet.markercluster) keep a city's worth of problems readable.
    var layer = (L.markerClusterGroup ? L.markerClusterGroup({ maxClusterRadius: 45, showCoverageOnHover: false })
      : L.layerGroup()).addTo(map);
    var filter = byId("map-status");

    function popup(p) {
      var box = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = p.matter;
      box.appendChild(title);
      [p.number, p.state, p.address, p.reported + (p.closed ? " → " + p.closed : "")].forEach(function (text) {
        if (!text) { return; }
        var line = document.createElement("div");
        line.textContent = text;
        box.appendChild(line);
      });
      if (p.url) {
        var link = document.createElement("a");
        link.href = p.url;
        link.textContent = node.dataset.caseLabel || p.number;
        box.appendChild(link);
      }
      if (p.photo) {
        var img = document.createElement("img");
        img.src = p.photo; img.width = 200; img.alt = "";
        box.appendChild(img);
      }
      return box;
    }

    function load() {
      var query = filter && filter.value ? "?status=" + encodeURIComponent(filter.value) : "";
      fetch(node.dataset.url + query, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (fc) {
          layer.clearLayers();
          fc.features.forEach(function (f) {
            var c = f.geometry.coordinates, p = f.properties;
            var colour = p.status === "closed" ? "#2e7d32" : "#e67e22";
            L.circleMarker(at(c[0], c[1]), { radius: 7, color: colour, fillOpacity: 0.8 })
              .bindPopup(popup(p)).addTo(layer);
          });
        });
    }
    if (filter) { filter.addEventListener("change", load); }
    load();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = byId("report-form");
    if (form) { reportForm(form); }
    var mapNode = byId("public-map");
    if (mapNode) { publicMap(mapNode); }
  });
}());
