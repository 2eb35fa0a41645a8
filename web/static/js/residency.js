// Residency planner: confirmation before destructive forms, and print buttons.
// No inline script: the page's Content-Security-Policy allows only files from Lotura.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  document.addEventListener("click", function (event) {
    var el = event.target;
    if (el && el.closest && el.closest("[data-print]")) {
      window.print();
    }
  });
})();
