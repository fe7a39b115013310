/* Address picker: a search box over the gazetteer, a candidate list, a map with a draggable pin.
   Picking a candidate fills the form's lng/lat/crs fields (storage system) and shows the grid and community;
   dragging the pin adjusts the point and asks /reverse for the place. The caller's own words in the address
   field are kept: it is filled from the search box only while it is empty. Needs basemap.js. */
(function () {
  "use strict";

  function field(id) { return id ? document.getElementById(id) : null; }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); });
  }

  function setup(box) {
    var d = box.dataset, labels = JSON.parse(d.labels || "{}");
    var input = box.querySelector(".picker-search");
    var list = box.querySelector(".picker-candidates");
    var empty = box.querySelector(".picker-empty");
    var place = box.querySelector(".picker-place");
    var lng = field(d.lng), lat = field(d.lat), crs = field(d.crs), address = field(d.address);
    var map = window.ChengguanMap.create(box.querySelector(".picker-map"), { zoom: 13 });
    var pin = null;

    function describe(c) {
      var parts = [];
      if (c.community) { parts.push(labels.community + " " + c.community.name); }
      if (c.unit_grid) { parts.push(labels.grid + " " + c.unit_grid.code); }
      if (c.responsibility_grid) { parts.push(c.responsibility_grid.name); }
      return parts.length ? parts.join(" · ") : labels.outside;
    }
    function setPoint(p) {  // p is stored (GCJ-02); a form without a crs field reads d.outCrs
      if (!lng || !lat) { return; }
      var out = !crs && d.outCrs === "wgs84" ? window.ChengguanMap.gcjToWgs(p.lng, p.lat) : [p.lng, p.lat];
      lng.value = out[0].toFixed(7);
      lat.value = out[1].toFixed(7);
      if (crs) { crs.value = "gcj02"; }
    }
    function showPin(p) {
      var at = window.ChengguanMap.toMap(p.lng, p.lat);
      if (!pin) {
        pin = L.marker(at, { draggable: true, autoPan: true, title: labels.drag }).addTo(map);
        pin.on("dragend", function () {
          var q = window.ChengguanMap.fromMap(pin.getLatLng());
          setPoint(q);
          place.textContent = "…";
          getJSON(d.reverseUrl + "?lng=" + q.lng.toFixed(7) + "&lat=" + q.lat.toFixed(7) + "&crs=gcj02").then(function (res) {
            if (!res.ok) { place.textContent = labels.error; return; }
            var near = res.body.address ? labels.near + " " + res.body.address.full + " · " : "";
            place.textContent = near + describe(res.body);
          });
        });
      } else {
        pin.setLatLng(at);
      }
      map.setView(at, Math.max(map.getZoom(), 17));
    }
    function pick(c) {
      setPoint(c);
      showPin(c);
      if (address && d.fill === "standard") { address.value = c.full; }
      else if (address && !address.value.trim()) { address.value = input.value.trim() || c.full; }
      box.querySelector(".picker-standard").textContent = labels.standard + " " + c.full;
      place.textContent = describe(c);
      list.innerHTML = "";
      box.classList.add("picked");
    }
    var timer = null, ticket = 0;
    function search() {
      var q = input.value.trim();
      var mine = ++ticket;
      if (!q) { list.innerHTML = ""; empty.hidden = true; return; }
      getJSON(d.searchUrl + "?limit=8&q=" + encodeURIComponent(q)).then(function (res) {
        if (mine !== ticket) { return; }
        list.innerHTML = "";
        var results = res.ok ? res.body.results : [];
        empty.hidden = results.length > 0;
        results.forEach(function (c) {
          var li = document.createElement("li");
          var b = document.createElement("button");
          b.type = "button";
          b.className = "picker-candidate";
          b.textContent = c.full;
          var small = document.createElement("small");
          small.textContent = describe(c) + (c.is_demo ? " · " + labels.demo : "");
          b.appendChild(small);
          b.addEventListener("click", function () { pick(c); });
          li.appendChild(b);
          list.appendChild(li);
        });
      });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 200); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); search(); }
    });
    map.on("click", function (e) {
      var q = window.ChengguanMap.fromMap(e.latlng);
      showPin(q);
      pin.fire("dragend");
    });
    if (lng && lat && lng.value && lat.value && crs && crs.value === "gcj02") {
      showPin({ lng: parseFloat(lng.value), lat: parseFloat(lat.value) });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L || !window.ChengguanMap) { return; }
    document.querySelectorAll("[data-address-picker]").forEach(setup);
  });
})();

/* Position confirmation (the supervisor's phone): after the device's position arrives in the form's lng/lat/crs
   fields, a small map shows it with the unit grid and the community it resolved to; dragging the pin corrects
   it (the fields then hold the stored system, GCJ-02). */
(function () {
  "use strict";

  function setup(box) {
    var d = box.dataset, labels = JSON.parse(d.labels || "{}"), CM = window.ChengguanMap;
    var lng = document.getElementById(d.lng), lat = document.getElementById(d.lat), crs = document.getElementById(d.crs);
    var place = box.querySelector(".picker-place"), mapNode = box.querySelector(".picker-map");
    var map = null, pin = null, outline = null, shown = "";

    function describe(body) {
      var parts = [];
      if (body.community) { parts.push(labels.community + " " + body.community.name); }
      if (body.unit_grid) { parts.push(labels.grid + " " + body.unit_grid.code); }
      return parts.length ? parts.join(" · ") : labels.outside;
    }
    function resolve(p) {
      place.textContent = "…";
      var query = "?lng=" + p.lng.toFixed(7) + "&lat=" + p.lat.toFixed(7) + "&crs=gcj02";
      fetch(d.reverseUrl + query, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (body) {
        place.textContent = describe(body);
        place.classList.toggle("error", !body.unit_grid);
      }).catch(function () { place.textContent = labels.error; });
      fetch(d.outlinesUrl + query, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (fc) {
        if (outline) { outline.remove(); outline = null; }
        if (!fc) { return; }
        outline = CM.geoJSON({ type: "FeatureCollection", features: fc.features.filter(function (f) { return f.properties.kind === "unit_grid"; }) },
          { interactive: false, style: { color: "#d9480f", weight: 2, fillOpacity: 0.08 } }).addTo(map);
      }).catch(function () { /* the pin still shows */ });
    }
    function show() {
      if (!lng.value || !lat.value) { return; }
      var key = lng.value + "," + lat.value + "," + (crs ? crs.value : "");
      if (key === shown) { return; }
      shown = key;
      var x = parseFloat(lng.value), y = parseFloat(lat.value);
      var p = crs && crs.value === "wgs84" ? CM.wgsToGcj(x, y) : [x, y];  // phones report WGS84
      var stored = { lng: p[0], lat: p[1] };
      box.hidden = false;
      if (!map) {
        map = CM.create(mapNode, { zoom: 17, view: false });
        pin = L.marker(CM.toMap(stored.lng, stored.lat), { draggable: true, title: labels.drag }).addTo(map);
        pin.on("dragend", function () {
          var q = CM.fromMap(pin.getLatLng());
          lng.value = q.lng.toFixed(7); lat.value = q.lat.toFixed(7);
          if (crs) { crs.value = "gcj02"; }
          shown = lng.value + "," + lat.value + "," + (crs ? crs.value : "");
          resolve(q);
        });
      }
      pin.setLatLng(CM.toMap(stored.lng, stored.lat));
      map.setView(CM.toMap(stored.lng, stored.lat), 17);
      resolve(stored);
    }
    var watched = document.getElementById(d.watch);
    if (watched) { new MutationObserver(show).observe(watched, { childList: true, characterData: true, subtree: true }); }
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L || !window.ChengguanMap) { return; }
    document.querySelectorAll("[data-position-confirm]").forEach(setup);
  });
})();
