/* Lotura maps: draw a map payload (graphsvc/maps/payload.py) with vis-network.
 *
 * Served pages load this file; exported HTML maps inline it. The layout comes from
 * the server, physics is off unless asked for, so a map is still as soon as it is drawn.
 * Safety: every text from the data goes into textContent, an attribute, the canvas,
 * or vis-network's plain-text tooltip (a string title is set with innerText). Never
 * innerHTML.
 */
(function () {
  "use strict";
  if (window.LoturaMaps) { window.LoturaMaps.initAll(); return; }

  var instances = [];
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function safeUrl(url) {
    // only same-site paths or http(s) links that the server produced
    if (typeof url !== "string") { return null; }
    if (/^\/(?!\/)/.test(url) || /^https?:\/\//i.test(url)) { return url; }
    return null;
  }

  function shapeIcon(shape, colour) {
    var s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", "18"); s.setAttribute("height", "18"); s.setAttribute("viewBox", "0 0 20 20");
    s.setAttribute("aria-hidden", "true");
    var p;
    var pts = {
      diamond: "10,1 19,10 10,19 1,10",
      square: "3,3 17,3 17,17 3,17",
      triangle: "10,2 19,18 1,18",
      triangleDown: "1,2 19,2 10,18",
      hexagon: "5,2 15,2 19,10 15,18 5,18 1,10",
      star: "10,1 12.6,7 19,7.3 14,11.4 15.8,18 10,14.3 4.2,18 6,11.4 1,7.3 7.4,7"
    }[shape];
    if (pts) {
      p = document.createElementNS(SVG, "polygon");
      p.setAttribute("points", pts);
    } else {
      p = document.createElementNS(SVG, "circle");
      p.setAttribute("cx", "10"); p.setAttribute("cy", "10"); p.setAttribute("r", "8");
    }
    p.setAttribute("fill", colour || "#9aa7b4");
    p.setAttribute("stroke", "#1b1f24");
    p.setAttribute("stroke-width", "1.2");
    s.appendChild(p);
    return s;
  }

  function renderLegend(box, legend) {
    if (!box || !legend) { return; }
    while (box.firstChild) { box.removeChild(box.firstChild); }
    box.appendChild(el("h2", null, legend.title));
    box.appendChild(el("h3", null, legend.colour_title));
    var ul = el("ul", "legend-territories");
    legend.territories.forEach(function (t) {
      var li = el("li");
      var sw = el("span", "swatch");
      sw.style.background = t.color;
      li.appendChild(sw);
      li.appendChild(el("span", null, t.label));
      li.setAttribute("data-territory", t.key);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    box.appendChild(el("h3", null, legend.shape_title));
    var ul2 = el("ul", "legend-kinds");
    legend.kinds.forEach(function (k) {
      var li = el("li");
      li.appendChild(shapeIcon(k.shape, "#9aa7b4"));
      li.appendChild(el("span", null, k.label));
      ul2.appendChild(li);
    });
    box.appendChild(ul2);
    var ul3 = el("ul", "legend-measures");
    ul3.appendChild(el("li", null, legend.size));
    var li = el("li");
    var line = el("span", "line");
    line.style.background = "#8a96a3";
    li.appendChild(line);
    li.appendChild(el("span", null, legend.edges));
    ul3.appendChild(li);
    var li2 = el("li");
    var line2 = el("span", "line");
    line2.style.background = legend.cross_border.color;
    li2.appendChild(line2);
    li2.appendChild(el("span", null, legend.cross_border.label));
    ul3.appendChild(li2);
    if (legend.residency) {
      var li3 = el("li");
      li3.setAttribute("data-legend", "residency");
      var line3 = el("span", "line dashed");
      line3.style.borderTopColor = legend.residency.color;
      li3.appendChild(line3);
      li3.appendChild(el("span", null, legend.residency.label));
      ul3.appendChild(li3);
    }
    box.appendChild(ul3);
  }

  function render(container, data, opts) {
    opts = opts || {};
    var state = {
      container: container, data: data, network: null, nodes: null, edges: null,
      drawn: false, drawnAt: null, startedAt: performance.now(), physics: false
    };
    instances.push(state);
    container.setAttribute("data-state", "drawing");
    while (container.firstChild) { container.removeChild(container.firstChild); }
    var legendBox = opts.legend || (container.parentNode && container.parentNode.querySelector(".map-legend"));
    renderLegend(legendBox, data.legend);
    if (opts.showNote && data.note) {
      container.parentNode.insertBefore(el("p", "map-note", data.note), container);
    }
    if (!data.nodes.length) {
      container.appendChild(el("p", "map-empty", data.strings.empty));
      state.drawn = true;
      state.drawnAt = performance.now();
      container.setAttribute("data-state", "drawn");
      return state;
    }
    var labels = {};
    data.nodes.forEach(function (n) { labels[n.id] = n.label; });
    data.edges.forEach(function (e) {
      if (e.kind === "residency") { return; }  // its plain-text title comes from the server
      e.title = labels[e.from] + " — " + labels[e.to] + "\n" + (data.strings.shared[String(e.w)] || "") +
        (e.cross ? "\n" + data.strings.cross_border : "");
    });
    if (data.center) {
      data.nodes.forEach(function (n) {
        if (n.id === data.center) { n.borderWidth = 5; n.value = 1; }
      });
    }
    var canvasBox = el("div", "map-canvas");
    container.appendChild(canvasBox);
    // the DataSets get copies: the payload keeps the original colours for spotlight()
    var nodes = new vis.DataSet(JSON.parse(JSON.stringify(data.nodes)));
    var edges = new vis.DataSet(JSON.parse(JSON.stringify(data.edges)));
    var network = new vis.Network(canvasBox, { nodes: nodes, edges: edges }, data.options);
    state.network = network; state.nodes = nodes; state.edges = edges;
    state.physics = !!(data.options.physics && data.options.physics.enabled);
    network.once("afterDrawing", function () {
      state.drawn = true;
      state.drawnAt = performance.now();
      container.setAttribute("data-state", "drawn");
      container.dispatchEvent(new CustomEvent("lotura:drawn", { bubbles: true }));
    });

    // toolbar
    var bar = el("div", "map-toolbar");
    var fit = el("button", "map-fit", data.strings.fit);
    fit.type = "button";
    fit.addEventListener("click", function () { network.fit({ animation: { duration: 400 } }); });
    var phys = el("button", "map-physics", state.physics ? data.strings.physics_off : data.strings.physics_on);
    phys.type = "button";
    phys.setAttribute("aria-pressed", state.physics ? "true" : "false");
    phys.addEventListener("click", function () {
      state.physics = !state.physics;
      network.setOptions({ physics: { enabled: state.physics } });
      phys.textContent = state.physics ? data.strings.physics_off : data.strings.physics_on;
      phys.setAttribute("aria-pressed", state.physics ? "true" : "false");
    });
    bar.appendChild(fit);
    bar.appendChild(phys);
    container.appendChild(bar);
    container.appendChild(el("p", "map-status",
      data.strings.nodes + ": " + data.counts.nodes + " · " + data.strings.edges + ": " + data.counts.edges));

    // details of the clicked organisation, as text
    var details = el("div", "map-details");
    details.hidden = true;
    details.setAttribute("role", "dialog");
    details.setAttribute("aria-live", "polite");
    container.appendChild(details);
    function showDetails(id) {
      var n = nodes.get(id);
      if (!n) { return; }
      while (details.firstChild) { details.removeChild(details.firstChild); }
      var close = el("button", "close", "×");
      close.type = "button";
      close.setAttribute("aria-label", data.strings.close);
      close.addEventListener("click", function () { details.hidden = true; });
      details.appendChild(close);
      var lines = String(n.title || n.label).split("\n");
      details.appendChild(el("h3", null, lines[0]));
      details.appendChild(el("p", null, lines.slice(1).join("\n")));
      var url = safeUrl(n.url);
      if (url) {
        var a = el("a", "open", data.strings.open);
        a.href = url;
        details.appendChild(a);
      }
      details.hidden = false;
    }
    network.on("click", function (p) {
      if (p.nodes && p.nodes.length) { showDetails(p.nodes[0]); } else { details.hidden = true; }
    });
    network.on("doubleClick", function (p) {
      if (!p.nodes || !p.nodes.length) { return; }
      var url = safeUrl((nodes.get(p.nodes[0]) || {}).url);
      if (url) { window.location.assign(url); }
    });
    if (opts.onReady) { opts.onReady(state); }
    return state;
  }

  // dim everything but the given nodes and edges (event mode), or restore with null;
  // the first `big` spotlit nodes (the most central) get labels large enough for a room
  function spotlight(state, nodeIds, edgeIds, dark, big) {
    if (!state || !state.nodes) { return; }
    var keepN = {}, keepE = {}, bigN = {};
    (nodeIds || []).forEach(function (id, i) { keepN[id] = true; if (i < (big === undefined ? 6 : big)) { bigN[id] = true; } });
    (edgeIds || []).forEach(function (id) { keepE[id] = true; });
    var all = !nodeIds;
    var dim = dark ? "#2b323b" : "#d9dee3";
    var font = state.data.options.nodes.font;
    var scaling = state.data.options.nodes.scaling;
    var large = { enabled: true, min: scaling.label.max, max: scaling.label.max * 1.5, drawThreshold: 1,
                  maxVisible: 96 };
    var nodeUpdates = state.data.nodes.map(function (n) {
      var on = all || keepN[n.id];
      return {
        id: n.id,
        color: on ? n.color : { background: dim, border: dim },
        font: on ? { color: font.color, strokeWidth: font.strokeWidth }
                 : { color: "rgba(0,0,0,0)", strokeWidth: 0 },  // no clutter around the spotlight
        scaling: { label: (!all && bigN[n.id]) ? large : scaling.label }
      };
    });
    var edgeUpdates = state.data.edges.map(function (e) {
      var on = all || keepE[e.id];
      var base = e.color || {};
      return { id: e.id, color: on ? { color: base.color || (dark ? "#9aa7b4" : "#8a96a3"), opacity: all ? (base.opacity || 0.5) : 0.95 } : { opacity: 0.04 },
               width: on && !all ? e.width + 2 : e.width };
    });
    state.nodes.update(nodeUpdates);
    state.edges.update(edgeUpdates);
    if (nodeIds && nodeIds.length) {
      state.network.fit({ nodes: nodeIds, animation: { duration: 900, easingFunction: "easeInOutQuad" } });
    } else {
      state.network.fit({ animation: { duration: 900 } });
    }
  }

  function failed(container, message) {
    while (container.firstChild) { container.removeChild(container.firstChild); }
    container.appendChild(el("p", "map-failed", message));
    container.setAttribute("data-state", "failed");
  }

  function init(container) {
    if (container.getAttribute("data-state")) { return; }
    var jsonId = container.getAttribute("data-json");
    var src = container.getAttribute("data-src");
    var opts = { showNote: container.hasAttribute("data-show-note") };
    if (jsonId) {
      var holder = document.getElementById(jsonId);
      render(container, JSON.parse(holder.textContent), opts);
      return;
    }
    if (!src) { return; }
    container.setAttribute("data-state", "loading");
    container.appendChild(el("p", "map-loading", container.getAttribute("data-loading") || "…"));
    fetch(src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) { render(container, data, opts); })
      .catch(function () { failed(container, container.getAttribute("data-failed") || "!"); });
  }

  function initAll() {
    var list = document.querySelectorAll("[data-lotura-map]");
    for (var i = 0; i < list.length; i++) { init(list[i]); }
  }

  window.LoturaMaps = { render: render, spotlight: spotlight, instances: instances, initAll: initAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
