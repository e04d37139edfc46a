// Test probe for the view's readability (tests/test_network.py, a crowded network).
// Records, as JSON in a pre element (id gk-test-result): the node labels drawn at the
// default zoom and zoomed in 3x (screen font size, boxes), where the view is after a
// filter, the legend counts, where a selection sits once its panel is open, and whether
// the hover tooltip is up after a panel opens and closes.
window.addEventListener("load", function () {
  var gk = window.graphkit, net = window.network, out = {};
  function $(id) { return document.getElementById(id); }
  var canvas = document.querySelector("#mynetwork canvas");
  function labels() {
    if (gk.labels) return gk.labels();
    // A page without its own labels: vis-network draws every label at 14 canvas units.
    var scale = net.getScale();
    return window.nodes.get().filter(function (n) { return n.label; }).map(function (n) {
      var p = net.canvasToDOM(net.getPositions([n.id])[n.id]);
      return {id: n.id, text: n.label, x: p.x, y: p.y, w: 0, h: 14 * scale, px: 14 * scale};
    });
  }
  function inView() {
    var rect = canvas.getBoundingClientRect(), pos = net.getPositions(), n = 0;
    Object.keys(pos).forEach(function (id) {
      var p = net.canvasToDOM(pos[id]);
      if (p.x >= 0 && p.x <= rect.width && p.y >= 0 && p.y <= rect.height) n++;
    });
    return n;
  }
  function snapshot() {
    var l = labels();
    return {count: l.length, inView: inView(), ids: l.map(function (x) { return x.id; }),
            px: l.map(function (x) { return x.px; }),
            boxes: l.map(function (x) { return [x.x - x.w / 2, x.y, x.x + x.w / 2, x.y + x.h]; })};
  }
  function shownBox() {  // screen box of the shown nodes, in canvas-element pixels
    var v = gk.visible(), ids = Object.keys(v.nodes), pos = net.getPositions(ids);
    var xs = [], ys = [];
    ids.forEach(function (id) { var p = net.canvasToDOM(pos[id]); xs.push(p.x); ys.push(p.y); });
    return {x0: Math.min.apply(null, xs), x1: Math.max.apply(null, xs),
            y0: Math.min.apply(null, ys), y1: Math.max.apply(null, ys), n: ids.length};
  }
  function counts(container) {
    var res = {};
    $(container).querySelectorAll("label").forEach(function (l) {
      var c = l.querySelector(".gk-count");
      if (c) res[l.querySelector("input").value] = Number(c.textContent.replace(/[()]/g, ""));
    });
    return res;
  }
  function where(ids) {  // page positions of nodes, and the panel's left edge
    var rect = canvas.getBoundingClientRect(), pos = net.getPositions(ids), res = {};
    ids.forEach(function (id) {
      var p = net.canvasToDOM(pos[id]);
      res[id] = [rect.left + p.x, rect.top + p.y];
    });
    return res;
  }
  function tooltip() {
    var tip = document.querySelector("div.vis-tooltip");
    return tip ? getComputedStyle(tip).visibility : null;
  }
  function hover(id) {
    var rect = canvas.getBoundingClientRect();
    var p = net.canvasToDOM(net.getPositions([id])[id]);
    canvas.dispatchEvent(new MouseEvent("mousemove",
      {bubbles: true, clientX: rect.left + p.x, clientY: rect.top + p.y}));
  }
  var rect = canvas.getBoundingClientRect();
  out.canvas = {left: rect.left, top: rect.top, width: rect.width, height: rect.height};
  var d = gk.data, wait = 400;
  var steps = [
    function () { out.defaultZoom = snapshot(); out.scale = net.getScale();
                  net.moveTo({scale: out.scale * 3, animation: false}); },
    function () { out.zoomedIn = snapshot(); net.fit({animation: false}); },
    function () {
      // Leave only the merger chain: the view must close in on its few nodes.
      out.beforeFilter = shownBox();
      d.relations.forEach(function (r) {
        if (r.id !== "mergedInto") $("gk-rel-" + r.id).click();
      });
    },
    function () {
      out.afterFilter = shownBox();
      out.relationCounts = counts("gk-relations");
      out.classCounts = counts("gk-classes");
      $("gk-reset").click();
    },
    function () {
      out.afterReset = shownBox();
      // The rightmost entity near the top: at the default view it lies where the
      // panel opens (the panel is at least that tall).
      var pos = net.getPositions(), right = Object.keys(pos).filter(function (id) {
        return net.canvasToDOM(pos[id]).y < 180; }).sort(function (a, b) {
        return pos[b].x - pos[a].x; })[0];
      out.rightmost = right;
      out.before = where([right]);
      hover(right);
    },
    function () {
      out.tooltipOnHover = tooltip();
      gk.showNode(out.rightmost);
      out.tooltipAfterOpen = tooltip();
      var panel = $("gk-evidence").getBoundingClientRect();
      out.panel = {left: panel.left, right: panel.right, top: panel.top, bottom: panel.bottom};
      var around = [out.rightmost];
      d.edges.forEach(function (e) {
        if (!gk.visible().edges[e.id]) return;
        if (e.from === out.rightmost) around.push(e.to);
        if (e.to === out.rightmost) around.push(e.from);
      });
      out.neighbourhood = where(around);
      out.hoverAgain = around[around.length - 1];
      hover(out.hoverAgain);  // another entity: vis shows a tooltip once per entity
    },
    function () {
      out.tooltipHoverAgain = tooltip();
      gk.hide();
      out.tooltipAfterClose = tooltip();
      var e = d.edges.find(function (x) {
        return x.from === out.rightmost || x.to === out.rightmost; });
      net.fit({animation: false});
      gk.showEdge(e.id);
      out.edgeEnds = where([e.from, e.to]);
    },
  ];
  function run(i) {
    if (i < steps.length) { steps[i](); setTimeout(function () { run(i + 1); }, wait); return; }
    var pre = document.createElement("pre");
    pre.id = "gk-test-result";
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }
  setTimeout(function () { run(0); }, 1000);
});
