// The volunteer's report form: the phone's position (WGS84) fills the hidden lng/lat fields.
(function () {
  var button = document.getElementById("locate");
  if (!button) return;
  var out = document.getElementById("locate-status");
  button.addEventListener("click", function () {
    if (!navigator.geolocation) { out.textContent = button.dataset.unavailable; return; }
    out.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_lng").value = pos.coords.longitude.toFixed(6);
      document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_crs").value = "wgs84";
      out.textContent = button.dataset.done + " " + pos.coords.longitude.toFixed(5) + ", " + pos.coords.latitude.toFixed(5);
    }, function () { out.textContent = button.dataset.unavailable; }, {enableHighAccuracy: true, timeout: 15000});
  });
})();
