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
      // above the map and its legend: inside the two-column wrapper the note would take
      // the map's wide column and push the map into the legend's narrow one
      var wrap = container.closest(".lotura-map-wrap") || container;
      wrap.parentNode.insertBefore(el("p", "map-note", data.note), wrap);
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
    // event mode places its own labels (spotlight); the other maps relabel on every view
    var autoLabels = !container.closest("body.event");
    var options = data.options;
    if (autoLabels) {
      // no label until placed, and none turning bold (wider) under the pointer
      options = JSON.parse(JSON.stringify(data.options));
      options.nodes.scaling.label = HIDDEN_LABEL;
      options.nodes.labelHighlightBold = false;
    }
    var network = new vis.Network(canvasBox, { nodes: nodes, edges: edges }, options);
    state.network = network; state.nodes = nodes; state.edges = edges;
    // the map's text alternative: the table of [data-map-list] next to it (maps/_macros.html)
    var scope = container.closest("[data-map-scope]");
    var list = scope && scope.querySelector("[data-map-list]");
    if (list) { fillList(list, data); }
    // the focusable canvas vis-network made (keys pan and zoom it): say what it is and
    // where its text alternative is
    var frameEl = canvasBox.querySelector(".vis-network") || canvasBox.firstElementChild;
    if (frameEl) {
      frameEl.setAttribute("role", "application");
      frameEl.setAttribute("aria-label", String((list ? data.strings.canvas_list : data.strings.canvas) || data.title)
        .replace("%(title)s", data.title));
    }
    state.physics = !!(data.options.physics && data.options.physics.enabled);
    labelBasics(state);
    network.once("afterDrawing", function () {
      state.drawn = true;
      state.drawnAt = performance.now();
      container.setAttribute("data-state", "drawn");
      container.dispatchEvent(new CustomEvent("lotura:drawn", { bubbles: true }));
    });

    // toolbar
    var bar = el("div", "map-toolbar");
    bar.setAttribute("data-map-cover", "");  // event mode frames the map around it
    var fit = el("button", "map-fit", data.strings.fit);
    fit.type = "button";
    fit.addEventListener("click", function () {
      if (state.autoLabels) { fitWithLabels(state, true); } else { network.fit({ animation: { duration: 400 } }); }
    });
    var phys = el("button", "map-physics", state.physics ? data.strings.physics_off : data.strings.physics_on);
    phys.type = "button";
    phys.setAttribute("aria-pressed", state.physics ? "true" : "false");
    phys.addEventListener("click", function () {
      state.physics = !state.physics;
      network.setOptions({ physics: { enabled: state.physics } });
      phys.textContent = state.physics ? data.strings.physics_off : data.strings.physics_on;
      phys.setAttribute("aria-pressed", state.physics ? "true" : "false");
      scheduleLabels(state);
    });
    bar.appendChild(fit);
    bar.appendChild(phys);
    container.appendChild(bar);
    container.appendChild(el("p", "map-status",
      data.strings.nodes + ": " + data.counts.nodes + " · " + data.strings.edges + ": " + data.counts.edges));

    // details of the clicked organisation, as text
    // it takes the focus when it opens and gives it back (to the table's button, say) on close
    var details = el("div", "map-details");
    details.hidden = true;
    details.setAttribute("role", "dialog");
    details.setAttribute("tabindex", "-1");
    var headId = "map-details-" + instances.length;
    details.setAttribute("aria-labelledby", headId);
    container.appendChild(details);
    var returnFocus = null;
    function hideDetails(giveBack) {
      if (details.hidden) { return; }
      details.hidden = true;
      if (giveBack && returnFocus && document.contains(returnFocus)) { returnFocus.focus(); }
      returnFocus = null;
    }
    details.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); hideDetails(true); }
    });
    function showDetails(id, from) {
      var n = nodes.get(id);
      if (!n) { return; }
      var active = from || document.activeElement;
      if (!details.contains(active)) { returnFocus = active && active !== document.body ? active : null; }
      while (details.firstChild) { details.removeChild(details.firstChild); }
      var close = el("button", "close", "×");
      close.type = "button";
      close.setAttribute("aria-label", data.strings.close);
      close.addEventListener("click", function () { hideDetails(true); });
      details.appendChild(close);
      var lines = String(n.title || n.label).split("\n");
      var head = el("h2", null, lines[0]);  // the panel is a dialog of the page: its own heading level
      head.id = headId;
      details.appendChild(head);
      details.appendChild(el("p", null, lines.slice(1).join("\n")));
      var url = safeUrl(n.url);
      if (url) {
        var a = el("a", "open", data.strings.open);
        a.href = url;
        details.appendChild(a);
      }
      details.hidden = false;
      details.focus({ preventScroll: !from });
    }
    state.showNode = function (id, from) {
      // select it, bring it into view, open its details (from the table's buttons)
      if (!nodes.get(id)) { return; }
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), 1), animation: { duration: 300 } });
      if (state.autoLabels) { scheduleLabels(state); }
      showDetails(id, from);
    };
    network.on("click", function (p) {
      if (p.nodes && p.nodes.length) { showDetails(p.nodes[0]); } else { hideDetails(false); }
    });
    if (list) {
      list.addEventListener("click", function (e) {
        var b = e.target.closest ? e.target.closest("button.map-show") : null;
        if (b && list.contains(b)) { state.showNode(b.getAttribute("data-node"), b); }
      });
    }
    network.on("doubleClick", function (p) {
      if (!p.nodes || !p.nodes.length) { return; }
      var url = safeUrl((nodes.get(p.nodes[0]) || {}).url);
      if (url) { window.location.assign(url); }
    });
    if (autoLabels) { setupLabels(state); }  // after the buttons: the view leaves them room
    if (opts.onReady) { opts.onReady(state); }
    return state;
  }

  // the rows of the map's table from the payload, when the page did not render them
  // (the organisation page fetches its map). Text only, as everywhere.
  var listCount = 0;
  function fillList(list, data) {
    var body = list.querySelector("tbody");
    var caption = list.querySelector("caption");
    if (!body || body.rows.length || !data.table) { return; }
    var prefix = "mlj" + (++listCount) + "-";
    if (caption) { caption.textContent = data.table.caption; }
    data.table.rows.forEach(function (r, i) {
      var tr = el("tr");
      var th = el("th");
      th.setAttribute("scope", "row");
      th.id = prefix + (i + 1);
      var url = safeUrl(r.url);
      if (url) {
        var a = el("a", null, r.name);
        a.href = url;
        th.appendChild(a);
      } else { th.textContent = r.name; }
      tr.appendChild(th);
      tr.appendChild(el("td", null, r.kind));
      tr.appendChild(el("td", null, r.territory));
      tr.appendChild(el("td", "num", r.ties));
      tr.appendChild(el("td", "num", r.community === null || r.community === undefined ? "" : r.community));
      var td = el("td");
      var b = el("button", "map-show", data.strings.show_on_map);
      b.type = "button";
      b.id = th.id + "b";
      b.setAttribute("data-node", r.id);
      b.setAttribute("aria-labelledby", b.id + " " + th.id);
      td.appendChild(b);
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }

  // -- vis-network 9.1.2 internals ------------------------------------------------------
  // The only places this file reaches past vis-network's documented API. After an
  // upgrade, look here first: tests/test_maps_labels.py and the event-mode browser tests
  // fail when one of them no longer holds.

  // the canvas element vis-network draws on
  function canvasOf(net) {
    return net.canvas.frame.canvas;
  }

  // a drawn node's radius in canvas units, as vis-network scaled it from the node's value
  // (null for a node not drawn)
  function nodeSize(net, id) {
    var node = net.body.nodes[id];
    return node ? (node.options && node.options.size) || 20 : null;
  }

  // Internal 1 of the interactive labels. DataSet.update() makes vis-network re-derive
  // every node and every tie (reconnect, rescale: 100-300 ms on a 2,000-node map) for any
  // change: set the label scaling on the drawn node instead, as the DataSet would, then
  // setValueRange(), where vis-network turns the scaling into a font size.
  function setDrawnLabel(net, id, label, range) {
    var node = net.body.nodes[id];
    if (!node) { return; }
    node.setOptions({ scaling: { label: label } });
    node.setValueRange(range.min, range.max, range.total);
  }

  // Internal 2 of the interactive labels: ask for a drawing, which vis-network makes at
  // most once a frame (the labels are placed just before it, on "beforeDrawing")
  function requestRedraw(net) {
    net.body.emitter.emit("_requestRedraw");
  }

  // -- labels, both kinds of map -------------------------------------------------------------

  // Both place labels the same way (placeLabels): the most central first, at a fixed
  // screen size whatever the zoom (the first few larger), none overlapping a label
  // already placed. A hidden label is still the first line of the node's tooltip and
  // of its details.
  var LABEL_PAD = 2;  // px kept free around a label
  var measureCtx = null;

  function visible(e) {
    return !!(e && !e.hidden && e.getClientRects().length && getComputedStyle(e).visibility !== "hidden");
  }

  // the boxes, in the page's pixels, of the shown elements under `root` that `selector`
  // matches: the panels and buttons over a map
  function coverRects(root, selector) {
    var list = root.querySelectorAll(selector), out = [];
    for (var i = 0; i < list.length; i++) {
      if (visible(list[i])) { out.push(list[i].getBoundingClientRect()); }
    }
    return out;
  }

  // what the labels of every map are measured by, set once per map
  function labelBasics(state) {
    var data = state.data;
    state.labelWidths = {};
    state.labelText = {};
    data.nodes.forEach(function (n) { state.labelText[n.id] = String(n.label || ""); });
    state.labelFace = String(data.options.nodes.font.face || "sans-serif").replace(/"/g, "");
    valueShares(state, data.nodes);
    // the most central first: the order labels are given in
    state.labelOrder = data.nodes.slice().sort(function (a, b) { return (b.value || 0) - (a.value || 0); })
      .map(function (n) { return n.id; });
  }

  // the text's width at 1 px, measured once in the labels' font
  function textWidth(state, text) {
    var w = state.labelWidths[text];
    if (w === undefined) {
      if (!measureCtx) { measureCtx = document.createElement("canvas").getContext("2d"); }
      measureCtx.font = "100px " + state.labelFace;
      w = state.labelWidths[text] = measureCtx.measureText(text).width / 100;
    }
    return w;
  }

  function labelScaling(px, scale) {
    // canvas units that show as px[0]..px[1] screen pixels at this scale
    return { enabled: true, min: px[0] / scale, max: px[1] / scale, maxVisible: px[1], drawThreshold: 1 };
  }

  // the screen size vis-network gives a label of the range `px` (labelScaling): its node's
  // share of the value range, as vis-network's default customScalingFunction computes it
  function fontPx(state, id, px) {
    var share = state.valueShare[id];
    return px[0] + (share === undefined ? 0.5 : share) * (px[1] - px[0]);
  }

  function valueShares(state, nodes) {
    var lo = Infinity, hi = -Infinity, total = 0, out = {};
    nodes.forEach(function (n) {
      if (typeof n.value === "number") { lo = Math.min(lo, n.value); hi = Math.max(hi, n.value); total += n.value; }
    });
    nodes.forEach(function (n) {
      if (typeof n.value !== "number") { return; }
      out[n.id] = hi === lo ? 0.5 : Math.max(0, (n.value - lo) / (hi - lo));
    });
    state.valueShare = out;
    state.valueRange = { min: lo, max: hi, total: total };
  }

  // where vis-network draws a node's label at screen size `f` and view scale `scale`:
  // centred under the node, 0.5 em + 4 canvas units below it (its "hanging" baseline),
  // one line high
  function labelBox(state, id, x, yBelowNode, f, scale) {
    var w = textWidth(state, state.labelText[id]) * f;
    var top = yBelowNode + 0.5 * f + 4 * scale;
    return { left: x - w / 2 - LABEL_PAD, right: x + w / 2 + LABEL_PAD, top: top - LABEL_PAD, bottom: top + f + LABEL_PAD };
  }

  function overlaps(a, b) {
    return a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
  }

  // which of the `ordered` nodes (most central first) get a label, and its size range:
  // the plan's first ones large, the next ones smaller, none whose box would overlap a
  // label already placed or one of `view.covers`, and with `view.bounds`, none off them.
  // `view` is the view the labels are for: its scale and where a canvas point shows on
  // screen (the interactive maps: the current view; event mode: the frame being moved to)
  function placeLabels(state, ordered, plan, view) {
    var net = state.network, pos = net.getPositions(ordered), b = view.bounds;
    var placed = view.covers.slice(), out = {}, count = 0;
    for (var i = 0; i < ordered.length && count < plan.big + plan.small; i++) {
      var id = ordered[i], p = pos[id], size = nodeSize(net, id);
      if (!p || size === null) { continue; }
      var px = i < plan.big ? plan.bigPx : plan.smallPx;
      var s = view.toScreen(p);
      var box = labelBox(state, id, s.x, s.y + size * view.scale, fontPx(state, id, px), view.scale);
      if (b && (box.left < b.left || box.right > b.right || box.top < b.top || box.bottom > b.bottom)) {
        continue;  // off screen or cut
      }
      var clash = false;
      for (var k = 0; k < placed.length && !clash; k++) { clash = overlaps(box, placed[k]); }
      if (clash) { continue; }
      placed.push(box);
      count++;
      out[id] = px;
    }
    view.placed = placed.slice(view.covers.length);
    return out;
  }

  // -- event mode: framing and labels for a projector ------------------------------------

  // labels in event mode: the most central few large, the next ones smaller, the rest
  // none (a room cannot read a crowd of small labels)
  var EVENT_LABELS = {
    overview: { big: 8, small: 32, bigPx: [22, 28], smallPx: [15, 18] },
    step: { big: 5, small: 20, bigPx: [26, 32], smallPx: [16, 20] }
  };
  var EVENT_MAX_SCALE = 2.5;     // a tie of two close nodes must not fill the screen
  var EVENT_MARGIN = 16;         // px between the framed nodes and the panels
  var EVENT_DIM = "#2b323b";     // the nodes outside the spotlight

  // the largest part of the map's box that no panel covers (legend, caption bar, QR card,
  // header, buttons: elements marked data-map-cover), cutting around each panel in turn
  // on the side that keeps the most room
  function freeArea(container) {
    var b = container.getBoundingClientRect();
    var r = { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
    coverRects(document, "[data-map-cover]").forEach(function (o) {
      if (o.right <= r.left || o.left >= r.right || o.bottom <= r.top || o.top >= r.bottom) { return; }
      var options = [
        { left: r.left, top: r.top, right: o.left, bottom: r.bottom },
        { left: o.right, top: r.top, right: r.right, bottom: r.bottom },
        { left: r.left, top: r.top, right: r.right, bottom: o.top },
        { left: r.left, top: o.bottom, right: r.right, bottom: r.bottom }
      ];
      var best = null, bestArea = -1;
      options.forEach(function (c) {
        var a = Math.max(0, c.right - c.left) * Math.max(0, c.bottom - c.top);
        if (a > bestArea) { best = c; bestArea = a; }
      });
      r = best;
    });
    return { left: r.left + EVENT_MARGIN, top: r.top + EVENT_MARGIN,
             right: r.right - EVENT_MARGIN, bottom: r.bottom - EVENT_MARGIN };
  }

  // move the view so that the nodes `ids` fill the free area; returns the view being
  // moved to (also state.eventFrame), for placeLabels
  function frame(state, ids, labelPx) {
    var net = state.network;
    var pos = net.getPositions(ids);
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var p = pos[id], size = nodeSize(net, id) || 20;
      if (!p) { return; }
      x0 = Math.min(x0, p.x - size); x1 = Math.max(x1, p.x + size);
      y0 = Math.min(y0, p.y - size); y1 = Math.max(y1, p.y + size);
    });
    if (x0 === Infinity) {  // nothing to frame: the view stays, and so does its last frame
      return state.eventFrame || { scale: net.getScale(), covers: [], bounds: null,
                                   toScreen: function (p) { return net.canvasToDOM(p); } };
    }
    var area = freeArea(state.container);
    // room for the labels, drawn under the nodes (and half a label's width on each side)
    var w = Math.max(40, area.right - area.left - 2 * labelPx * 2);
    var h = Math.max(40, area.bottom - area.top - labelPx * 1.6);
    var scale = Math.min(w / Math.max(x1 - x0, 1), h / Math.max(y1 - y0, 1), EVENT_MAX_SCALE);
    var box = state.container.getBoundingClientRect();
    var cx = (area.left + area.right) / 2, cy = (area.top + area.bottom - labelPx * 1.6) / 2;
    net.moveTo({
      position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 },
      scale: scale,
      offset: { x: cx - (box.left + box.width / 2), y: cy - (box.top + box.height / 2) },
      animation: state.drawnOnce ? { duration: 900, easingFunction: "easeInOutQuad" } : false
    });
    state.drawnOnce = true;
    var px = (x0 + x1) / 2, py = (y0 + y1) / 2;
    state.eventFrame = {
      area: area, scale: scale, covers: [], bounds: null,
      // where a canvas point will be on screen once the move ends
      toScreen: function (p) { return { x: cx + (p.x - px) * scale, y: cy + (p.y - py) * scale }; }
    };
    return state.eventFrame;
  }

  // Event mode: dim everything but the nodes `nodeIds` and ties `edgeIds` (the whole map
  // with null), frame them in the area the panels leave free, and label the most central
  // of them (listed first) at a fixed screen size. Each call updates every node and tie
  // of the DataSets: maps-event.js reframes after a resize only once it has paused.
  function spotlight(state, nodeIds, edgeIds) {
    if (!state || !state.nodes) { return; }
    showSpot(state, nodeIds, edgeIds);
  }

  function showSpot(state, nodeIds, edgeIds) {
    var all = !nodeIds, keepN = {}, keepE = {};
    (nodeIds || []).forEach(function (id) { keepN[id] = true; });
    (edgeIds || []).forEach(function (id) { keepE[id] = true; });
    var plan = all ? EVENT_LABELS.overview : EVENT_LABELS.step;
    var ordered = all ? state.labelOrder : nodeIds;
    var view = frame(state, ordered, plan.bigPx[1]);
    var labelled = placeLabels(state, ordered, plan, view);
    var font = state.data.options.nodes.font, unlabelled = state.data.options.nodes.scaling.label;
    state.nodes.update(state.data.nodes.map(function (n) {
      var on = all || keepN[n.id], px = on && labelled[n.id];
      return {
        id: n.id,
        color: on ? n.color : { background: EVENT_DIM, border: EVENT_DIM },
        font: px ? { color: font.color, strokeWidth: font.strokeWidth }
                 : { color: "rgba(0,0,0,0)", strokeWidth: 0 },  // no clutter around the spotlight
        scaling: { label: px ? labelScaling(px, view.scale) : unlabelled }
      };
    }));
    state.edges.update(state.data.edges.map(function (e) {
      var on = all || keepE[e.id];
      var base = e.color || {};
      return { id: e.id, color: on ? { color: base.color || "#9aa7b4", opacity: all ? (base.opacity || 0.5) : 0.95 } : { opacity: 0.04 },
               width: on && !all ? e.width + 2 : e.width };
    }));
  }

  // -- labels of the interactive maps (the maps page, an organisation's network, exports) --

  // placeLabels redone whenever the view changes, none cut by the map's edge or under its
  // buttons; zoomed in far enough, every label fits
  var MAP_LABELS = { big: 6, small: Infinity, bigPx: [16, 20], smallPx: [12, 15] };
  var HIDDEN_LABEL = { enabled: true, min: 1, max: 1, maxVisible: 1, drawThreshold: 1e6 };  // never drawn
  var VIEW_MARGIN = 8;   // px between the map's edge and the nearest node or label
  var MAX_FIT_SCALE = 1; // vis-network's own fit does not zoom in further either

  // the map's own buttons and panels, in the canvas' pixels (labels stay clear of them)
  function coverBoxes(state, selector) {
    var c = canvasOf(state.network).getBoundingClientRect();
    return coverRects(state.container, selector || ".map-toolbar, .map-status, .map-details").map(function (r) {
      return { left: r.left - c.left, right: r.right - c.left, top: r.top - c.top, bottom: r.bottom - c.top };
    });
  }

  function currentView(state) {
    var net = state.network, canvas = canvasOf(net);
    return {
      scale: net.getScale(),
      toScreen: function (p) { return net.canvasToDOM(p); },
      bounds: { left: 0, top: 0, right: canvas.clientWidth, bottom: canvas.clientHeight },
      covers: coverBoxes(state)
    };
  }

  // choose the labels for the current view and tell vis-network about the ones that
  // changed (called just before a drawing, which then shows them)
  function applyLabels(state) {
    state.labelDirty = false;
    if (!state.autoLabels || !state.network) { return; }
    var t0 = performance.now(), net = state.network, view = currentView(state);
    state.labelView = viewKey(net);
    if (!view.bounds.right || !view.bounds.bottom) { return; }
    var selected = net.getSelectedNodes(), ordered = state.labelOrder;
    if (selected.length) {  // the clicked organisation is labelled first
      ordered = selected.concat(ordered.filter(function (id) { return selected.indexOf(id) < 0; }));
    }
    var out = placeLabels(state, ordered, MAP_LABELS, view);
    var rescale = !state.labelScale || Math.abs(view.scale / state.labelScale - 1) > 0.005;
    var updates = 0, before = state.labelled, shown = 0;
    state.labelOrder.forEach(function (id) {
      var px = out[id];
      if (px) {
        shown++;
        if (rescale || before[id] !== px) { setDrawnLabel(net, id, labelScaling(px, view.scale), state.valueRange); updates++; }
      } else if (before[id]) {
        setDrawnLabel(net, id, HIDDEN_LABEL, state.valueRange);
        updates++;
      }
    });
    if (rescale) { state.labelScale = view.scale; }
    state.labelled = out;
    state.labelStats = { shown: shown, updated: updates, ms: performance.now() - t0, boxes: view.placed };
    state.labelRuns = (state.labelRuns || 0) + 1;
  }

  function viewKey(net) {
    var t = net.getViewPosition();
    return net.getScale().toFixed(6) + " " + t.x.toFixed(2) + " " + t.y.toFixed(2);
  }

  // relabel in the next drawing
  function scheduleLabels(state) {
    if (!state.autoLabels || !state.network) { return; }
    state.labelDirty = true;
    requestRedraw(state.network);
  }

  // the largest view (at most MAX_FIT_SCALE) that shows every node and, under each, its
  // label at the size it would get, inside the map less its buttons: nothing is cut at
  // the edges. Widths in screen pixels do not grow with the zoom, so the extent is
  // linear in the scale for each node: bisect.
  function fitWithLabels(state, animate) {
    var net = state.network, canvas = canvasOf(net);
    var W = canvas.clientWidth, H = canvas.clientHeight, ids = state.labelOrder;
    if (!W || !H || !ids.length) { net.fit(animate ? { animation: { duration: 400 } } : undefined); return; }
    var top = VIEW_MARGIN, bottom = VIEW_MARGIN;
    coverBoxes(state, ".map-toolbar, .map-status").forEach(function (c) {
      if (c.top < H / 2) { top = Math.max(top, c.bottom + VIEW_MARGIN); }
      else { bottom = Math.max(bottom, H - c.top + VIEW_MARGIN); }
    });
    var pos = net.getPositions(ids), items = [];
    ids.forEach(function (id, i) {
      var p = pos[id], size = nodeSize(net, id);
      if (!p || size === null) { return; }
      var f = fontPx(state, id, i < MAP_LABELS.big ? MAP_LABELS.bigPx : MAP_LABELS.smallPx);
      items.push({ x: p.x, y: p.y, r: size,
                   hw: textWidth(state, state.labelText[id]) * f / 2 + LABEL_PAD, lh: 1.5 * f + LABEL_PAD });
    });
    var availW = W - 2 * VIEW_MARGIN, availH = H - top - bottom;
    function extent(s, labels) {
      var e = { l: Infinity, r: -Infinity, t: Infinity, b: -Infinity };
      for (var i = 0; i < items.length; i++) {
        var n = items[i], hw = labels ? n.hw : 0;
        e.l = Math.min(e.l, (n.x - n.r) * s, n.x * s - hw);
        e.r = Math.max(e.r, (n.x + n.r) * s, n.x * s + hw);
        e.t = Math.min(e.t, (n.y - n.r) * s);
        e.b = Math.max(e.b, labels ? (n.y + n.r + 4) * s + n.lh : (n.y + n.r) * s);
      }
      return e;
    }
    function fits(s, labels) {
      var e = extent(s, labels);
      return e.r - e.l <= availW && e.b - e.t <= availH;
    }
    var labels = fits(1e-4, true);  // false: a label wider than the map, fit the nodes alone
    var lo = 1e-4, hi = MAX_FIT_SCALE;
    if (fits(hi, labels)) { lo = hi; }
    for (var k = 0; k < 40 && lo < hi; k++) {
      var mid = (lo + hi) / 2;
      if (fits(mid, labels)) { lo = mid; } else { hi = mid; }
    }
    var e = extent(lo, labels);
    var target = { position: { x: (e.l + e.r) / (2 * lo), y: (e.t + e.b) / (2 * lo) }, scale: lo,
                   offset: { x: 0, y: (top - bottom) / 2 }, animation: false };
    // vis-network's animations stop a step short of or past their end (0.3 % of the way
    // on a 10x zoom): land exactly on the fit afterwards, so no label is cut at the edge
    state.fitTarget = animate ? target : null;
    net.moveTo(animate ? Object.assign({}, target, { animation: { duration: 400, easingFunction: "easeInOutQuad" } })
                       : target);
  }

  function setupLabels(state) {
    var net = state.network;
    state.autoLabels = true;
    state.labelled = {};
    // any change of the view (wheel, pinch, drag, keys, an animation, fit) is drawn: just
    // before drawing, relabel when the view is not the one the labels were placed for, or
    // when nodes moved (dragged, or drifting with the gentle physics). So the labels are
    // placed at most once per drawn frame, and never cost a drawing of their own.
    var lastPhysics = 0;
    net.on("beforeDrawing", function () {
      if (state.physics && performance.now() - lastPhysics > 250) {
        lastPhysics = performance.now();
        state.labelDirty = true;
      }
      if (state.labelDirty || viewKey(net) !== state.labelView) { applyLabels(state); }
    });
    ["dragging", "dragEnd", "resize", "select", "deselectNode"].forEach(function (ev) {
      net.on(ev, function () { scheduleLabels(state); });
    });
    net.on("animationFinished", function () {
      var target = state.fitTarget;
      state.fitTarget = null;
      if (target) { net.moveTo(target); }
    });
    ["dragStart", "zoom"].forEach(function (ev) { net.on(ev, function () { state.fitTarget = null; }); });
    fitWithLabels(state, false);
    state.labelDirty = true;
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
