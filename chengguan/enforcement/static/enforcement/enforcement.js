/* Enforcement pages. An act refused by the rules answers 4xx with its panel re-drawn around the reason (the
   field in error, the article of law); htmx 2 does not swap 4xx answers by default, which left the officer
   looking at an unchanged form. Swap them into act panels, and do not treat them as transport errors. */
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if (status >= 400 && status < 500 && target && target.matches && target.matches("details.act")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
