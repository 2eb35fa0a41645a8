// Partner finder: show only the fields of the chosen mode (the form works without it).
(function () {
  "use strict";
  var form = document.querySelector("form.finder");
  if (!form) { return; }
  function update() {
    var checked = form.querySelector("input[name=mode]:checked");
    var mode = checked ? checked.value : "org";
    form.querySelector(".mode-org").hidden = mode !== "org";
    form.querySelector(".mode-need").hidden = mode !== "need";
    form.querySelectorAll(".mode-org input").forEach(function (el) { el.disabled = mode !== "org"; });
    form.querySelectorAll(".mode-need input").forEach(function (el) { el.disabled = mode !== "need"; });
  }
  form.querySelectorAll("input[name=mode]").forEach(function (el) { el.addEventListener("change", update); });
  update();
}());
