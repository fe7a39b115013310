/* Tell the sign-in whether the screen is phone-sized, so a supervisor or officer lands on the phone pages. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var field = document.getElementById("id_narrow");
  if (field) field.value = window.innerWidth < 700 ? "1" : "";
});
