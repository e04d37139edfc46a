// Test probe appended to a copy of the graphkit HTML view (tests/test_network.py).
// After load it records the network data, opens the evidence panel for the first edge,
// hovers that edge so vis-network shows its tooltip, and writes what it saw as JSON into
// a pre element, id gk-test-result. The positive control proves that markup inserted
// as HTML does run its onerror handler in this browser, so "not pwned" means something.
window.addEventListener("load", function () {
  var out = {};
  var probe = document.createElement("div");
  probe.innerHTML = '<img src="x" onerror="window.__control=1">';
  document.body.appendChild(probe);
  out.labels = window.nodes.get().map(function (n) { return n.label; });
  out.canvas = document.querySelectorAll("#mynetwork canvas").length;
  out.legend = document.getElementById("network-legend").textContent;
  var id = window.edges.getIds()[0];
  out.panelShown = window.graphkit.showEdge(id);
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
      var panel = document.getElementById("gk-evidence-body");
      var tip = document.querySelector("div.vis-tooltip");
      out.pwned = !!window.__pwned;
      out.control = !!window.__control;
      out.panel = panel.textContent;
      out.panelMarkup = panel.querySelectorAll("img, script").length;
      out.links = Array.prototype.map.call(panel.querySelectorAll("a"),
                                           function (a) { return a.href; });
      out.tooltip = tip ? tip.textContent : null;
      out.tooltipMarkup = tip ? tip.querySelectorAll("img, script").length : null;
      out.tooltipVisible = tip ? getComputedStyle(tip).visibility : null;
      var pre = document.createElement("pre");
      pre.id = "gk-test-result";
      pre.textContent = JSON.stringify(out);
      document.body.appendChild(pre);
    }, 1500);
  }, 1500);
});
