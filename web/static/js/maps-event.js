/* Lotura event mode: an auto-tour over the map drawn by maps.js.
 * Each step spotlights a community, a cross-border tie or a host's residency ties
 * (steps made by graphsvc/maps/tour.py), shows its caption (text only) and the QR
 * code of the step's organisation. Keys: right/left arrows, space (pause), f (full
 * screen).
 */
(function () {
  "use strict";
  var holder = document.getElementById("tour-data");
  if (!holder) { return; }
  var tour = JSON.parse(holder.textContent);
  var steps = tour.steps || [];
  var caption = document.getElementById("tour-caption");
  var pauseBtn = document.getElementById("tour-pause");
  var current = -1;
  var timer = null;
  var REFRAME_MS = 100;  // a resize reframes the map once it has paused this long
  var playing = true;

  // the header wraps on a narrow screen and the caption grows with its text: what sits
  // below the one and above the other is placed by their heights (maps.css)
  var head = document.querySelector(".event-head");
  function measure() {
    if (head) { document.body.style.setProperty("--head-h", Math.ceil(head.getBoundingClientRect().height) + "px"); }
    document.body.style.setProperty("--foot-h", Math.ceil(caption.getBoundingClientRect().height) + "px");
  }
  measure();
  if (window.ResizeObserver) {
    var ro = new ResizeObserver(measure);
    if (head) { ro.observe(head); }
    ro.observe(caption);
  }

  function mapState() {
    return window.LoturaMaps && window.LoturaMaps.instances[0];
  }

  function showQr(orgId) {
    var figures = document.querySelectorAll(".qr-panel figure[data-qr]");
    var any = false;
    for (var i = 0; i < figures.length; i++) {
      figures[i].hidden = !(orgId && figures[i].getAttribute("data-qr") === orgId);
      any = any || !figures[i].hidden;
    }
    var panel = document.querySelector(".qr-panel");
    if (panel) { panel.hidden = !any; }  // no empty white card
  }

  // a screen reader hears the caption when someone steps or pauses the tour, not every
  // few seconds while it plays by itself
  function speak(on) {
    caption.setAttribute("aria-live", on ? "polite" : "off");
  }

  function show(k, byHand) {
    if (!steps.length) { return; }
    speak(byHand || !playing);
    current = (k + steps.length) % steps.length;
    var s = steps[current];
    caption.textContent = s.caption;
    caption.setAttribute("data-step", String(current));
    caption.setAttribute("data-kind", s.kind);
    caption.title = tour.strings.counter.replace("%(num)s", String(current + 1)).replace("%(total)s", String(steps.length));
    window.LoturaMaps.spotlight(mapState(), s.nodes, s.edges);
    showQr(s.qr);
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = playing ? setTimeout(function () { show(current + 1, false); schedule(); }, tour.interval_ms) : null;
  }

  function setPlaying(on) {
    playing = on;
    pauseBtn.textContent = on ? pauseBtn.getAttribute("data-pause") : pauseBtn.getAttribute("data-play");
    pauseBtn.setAttribute("aria-pressed", on ? "false" : "true");
    speak(!on);
    schedule();
  }

  function overview() {
    window.LoturaMaps.spotlight(mapState(), null, null);
  }

  function start() {
    overview();  // the whole map framed in the area the panels leave free
    // reframe once a resize has paused (each reframe updates every node of the map)
    var reframe = null;
    window.addEventListener("resize", function () {
      clearTimeout(reframe);
      reframe = setTimeout(function () {
        if (current >= 0) { window.LoturaMaps.spotlight(mapState(), steps[current].nodes, steps[current].edges); }
        else { overview(); }
      }, REFRAME_MS);
    });
    if (!steps.length) {
      speak(true);
      caption.textContent = tour.strings.none;
      return;
    }
    schedule();
  }

  document.getElementById("tour-next").addEventListener("click", function () { show(current + 1, true); schedule(); });
  document.getElementById("tour-prev").addEventListener("click", function () { show(current - 1, true); schedule(); });
  pauseBtn.addEventListener("click", function () { setPlaying(!playing); });
  var fs = document.getElementById("event-fullscreen");
  function fullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
  }
  if (fs) { fs.addEventListener("click", fullscreen); }
  document.addEventListener("keydown", function (e) {
    if (e.target && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(e.target.tagName)) { return; }
    if (e.key === "ArrowRight") { show(current + 1, true); schedule(); }
    else if (e.key === "ArrowLeft") { show(current - 1, true); schedule(); }
    else if (e.key === " ") { e.preventDefault(); setPlaying(!playing); }
    else if (e.key === "f") { fullscreen(); }
  });

  var st = mapState();
  if (st && st.drawn) { start(); }
  else { document.addEventListener("lotura:drawn", start, { once: true }); }
  window.LoturaTour = { show: show, steps: steps, current: function () { return current; } };
})();
