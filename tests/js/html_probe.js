// Test probe appended to a copy of the graphkit HTML view (tests/test_network.py).
// After load it drives the filters the way a user does (clicking checkboxes, moving
// sliders, submitting the search form), opens the node and edge panels, hovers an edge
// so vis-network shows its tooltip, and writes what it saw as JSON into a pre element,
// id gk-test-result. The positive control proves that markup inserted as HTML does run
// its onerror handler in this browser, so "not pwned" means something.
window.addEventListener("load", function () {
  var out = {steps: {}};
  var probe = document.createElement("div");
  probe.style.position = "fixed";  // out of the page flow: the canvas keeps its size
  probe.innerHTML = '<img src="x" onerror="window.__control=1">';
  document.body.appendChild(probe);
  var gk = window.graphkit, data = gk.data;
  function $(id) { return document.getElementById(id); }
  function shown() {
    var v = gk.visible();
    return {nodes: v.nNodes, edges: v.nEdges, dropped: v.dropped,
            edgeIds: Object.keys(v.edges).sort(), status: $("gk-status").textContent};
  }
  function click(id) { $(id).click(); }
  function slide(id, value) {
    $(id).value = value;
    $(id).dispatchEvent(new Event("input", {bubbles: true}));
  }
  out.labels = window.nodes.get().map(function (n) { return n.name || n.label; });
  out.arrows = {};
  data.edges.forEach(function (e) {  // as vis-network will draw them
    out.arrows[e.label] = window.network.body.edges[e.id].options.arrows.to.enabled;
  });
  out.canvas = document.querySelectorAll("#mynetwork canvas").length;
  out.legend = $("gk-filters").textContent;
  out.swatches = Array.prototype.map.call(document.querySelectorAll("#gk-relations label"),
    function (l) { return [l.textContent.trim(), l.querySelector(".gk-swatch").style.borderTopColor]; });
  var id = data.edges.slice().sort(function (a, b) {
    return b.evidence.length - a.evidence.length || (a.id < b.id ? -1 : 1); })[0].id;
  function steps() {
    out.steps.initial = shown();
    out.hiddenOnCanvas = window.edges.get({filter: function (e) { return e.hidden; }}).length;
    click("gk-mod-negated"); click("gk-mod-hypothetical");
    out.steps.allModalities = shown();
    out.dashed = window.edges.get({filter: function (e) { return e.dashes && !e.hidden; }}).length;
    click("gk-mod-negated"); click("gk-mod-hypothetical");
    slide("gk-min-confidence", 0.85);
    out.steps.minConfidence = shown();
    slide("gk-min-confidence", 0);
    if (data.years) {
      slide("gk-year-from", data.years[1]);
      out.steps.lastYear = shown();
      slide("gk-year-from", data.years[0]);
    }
    click("gk-undated");
    out.steps.datedOnly = shown();
    click("gk-undated");
    if ($("gk-rel-alliedWith")) {
      click("gk-rel-alliedWith");
      out.steps.noAlliances = shown();
      click("gk-rel-alliedWith");
    }
    if ($("gk-class-Person")) {
      click("gk-class-Person");
      out.steps.noPersons = shown();
      click("gk-class-Person");
    }
    slide("gk-min-sources", 2);
    out.steps.twoSources = shown();
    click("gk-reset");
    out.steps.reset = shown();
    var aliased = data.nodes.find(function (n) { return n.aliases.length; });
    if (aliased) {
      $("gk-search").value = aliased.aliases[0].toUpperCase();
      $("gk-search-form").requestSubmit();
      out.search = {alias: aliased.aliases[0], wanted: aliased.id,
                    selected: window.network.getSelectedNodes(),
                    panel: $("gk-evidence-body").textContent,
                    faded: window.nodes.get({filter: function (n) { return n.opacity < 1; }}).length,
                    fadedEdges: window.edges.get({filter: function (e) {
                      return e.color && e.color.opacity < 1; }}).length,
                    headings: Array.prototype.map.call(
                      document.querySelectorAll("#gk-evidence-body h4"),
                      function (h) { return h.textContent; })};
    }
    var known = data.nodes.find(function (n) { return n.qid; });
    if (known) {
      gk.showNode(known.id);
      out.nodeLinks = Array.prototype.map.call(
        document.querySelectorAll("#gk-evidence-body a"), function (a) { return a.href; });
    }
    gk.hide();
    out.fadedAfterHide = window.nodes.get({filter: function (n) { return n.opacity < 1; }}).length;
    out.edge = {id: id, shown: gk.showEdge(id)};
    var body = $("gk-evidence-body");
    out.edge.marks = Array.prototype.map.call(body.querySelectorAll("mark"),
                                              function (m) { return m.textContent; });
    out.edge.quotes = body.querySelectorAll("q").length;
  }
  setTimeout(function () {
    var canvas = document.querySelector("#mynetwork canvas");
    var rect = canvas.getBoundingClientRect();
    var edge = window.edges.get(id);
    var pos = window.network.getPositions([edge.from, edge.to]);
    var mid = window.network.canvasToDOM({x: (pos[edge.from].x + pos[edge.to].x) / 2,
                                          y: (pos[edge.from].y + pos[edge.to].y) / 2});
    var hit = null;
    for (var r = 0; r < 120 && !hit; r += 2) {
      for (var a = 0; a < 16 && !hit; a++) {
        var p = {x: mid.x + r * Math.cos(a * Math.PI / 8),
                 y: mid.y + r * Math.sin(a * Math.PI / 8)};
        if (window.network.getEdgeAt(p) === id && window.network.getNodeAt(p) === undefined) {
          hit = p;
        }
      }
    }
    out.hovered = !!hit;
    if (hit) canvas.dispatchEvent(new MouseEvent("mousemove",
        {bubbles: true, clientX: rect.left + hit.x, clientY: rect.top + hit.y}));
    setTimeout(function () {
      var tip = document.querySelector("div.vis-tooltip");
      out.tooltip = tip ? tip.textContent : null;
      out.tooltipMarkup = tip ? tip.querySelectorAll("img, script").length : null;
      out.tooltipVisible = tip ? getComputedStyle(tip).visibility : null;
      steps();
      var panel = $("gk-evidence-body");
      out.pwned = !!window.__pwned;
      out.control = !!window.__control;
      out.panel = panel.textContent;
      out.panelMarkup = panel.querySelectorAll("img, script").length;
      out.links = Array.prototype.map.call(panel.querySelectorAll("a"),
                                           function (a) { return a.href; });
      var pre = document.createElement("pre");
      pre.id = "gk-test-result";
      pre.textContent = JSON.stringify(out);
      document.body.appendChild(pre);
    }, 1500);
  }, 1500);
});
