/* Lotura geographic view: a numbered circle groups nearby organisations; selecting it
 * (click, Enter or Space) lists them with links to their pages. Text only. */
(function () {
  "use strict";
  var holder = document.getElementById("geo-groups");
  if (!holder) { return; }
  var groups = JSON.parse(holder.textContent);
  var panel = document.getElementById("geo-list");
  var title = document.getElementById("geo-list-title");
  var list = document.getElementById("geo-list-items");

  function safeUrl(url) {
    return (typeof url === "string" && (/^\/(?!\/)/.test(url) || /^https?:\/\//i.test(url))) ? url : null;
  }

  var opener = null;

  function open(g) {
    var members = groups[g.getAttribute("data-group")] || [];
    title.textContent = g.getAttribute("aria-label") || "";
    while (list.firstChild) { list.removeChild(list.firstChild); }
    members.forEach(function (m) {
      var li = document.createElement("li");
      var url = safeUrl(m.url);
      var node = document.createElement(url ? "a" : "span");
      if (url) { node.href = url; }
      node.textContent = m.name;
      li.appendChild(node);
      list.appendChild(li);
    });
    panel.hidden = false;
    opener = g;
    title.setAttribute("tabindex", "-1");
    title.focus();  // the list is far after the map in the Tab order: start the reader there
  }

  function close() {
    panel.hidden = true;
    if (opener) { opener.focus(); }  // back to the group that opened it
    opener = null;
  }

  var marks = document.querySelectorAll(".geo-map .group[data-group]");
  for (var i = 0; i < marks.length; i++) {
    marks[i].addEventListener("click", function (e) { open(e.currentTarget); });
    marks[i].addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(e.currentTarget); }
    });
  }
  document.getElementById("geo-list-close").addEventListener("click", close);
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { close(); } });
})();
