// "Use my position" buttons: <button data-fill-position="FORM-ID"> fills the form's lng/lat fields from the
// device's location. A static file, because the Content-Security-Policy refuses inline scripts.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-fill-position]");
  if (!button || !navigator.geolocation) return;
  var form = document.getElementById(button.getAttribute("data-fill-position"));
  navigator.geolocation.getCurrentPosition(function (p) {
    form.lng.value = p.coords.longitude;
    form.lat.value = p.coords.latitude;
    button.textContent = "✓";
  });
});
