// graphkit evidence panel: click an edge to list its quotes, a node to see its details.
// Every string from the data is set with textContent, never parsed as HTML, so a quote
// that contains markup shows as text and runs nothing.
(function () {
  "use strict";
  var panel = document.getElementById("gk-evidence");
  var body = document.getElementById("gk-evidence-body");

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function source(ev) {
    var parts = [ev.title, ev.doc, ev.date, ev.year && ("year " + ev.year),
                 ev.confidence !== undefined && ("confidence " + ev.confidence)];
    return parts.filter(Boolean).join(" · ");
  }

  function link(url) {
    // Only web links become clickable; anything else (javascript:, data:) stays text.
    if (!/^https?:\/\//i.test(url)) return el("div", url, "gk-source");
    var a = el("a", url);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    var wrap = el("div", null, "gk-source");
    wrap.appendChild(a);
    return wrap;
  }

  function show(title, summary, items) {
    body.replaceChildren(el("h3", title), el("p", summary, "gk-summary"));
    if (items) body.appendChild(items);
    panel.hidden = false;
  }

  function showEdge(id) {
    var edge = window.edges.get(id);
    if (!edge) return false;
    var gk = edge.gk || {};
    var list = el("ol");
    (gk.evidence || []).forEach(function (ev) {
      var li = el("li");
      li.appendChild(el("q", ev.sentence));
      li.appendChild(el("div", source(ev), "gk-source"));
      if (ev.url) li.appendChild(link(ev.url));
      list.appendChild(li);
    });
    var from = window.nodes.get(edge.from), to = window.nodes.get(edge.to);
    show(from.label + " — " + edge.label + " → " + to.label, gk.summary, list);
    return true;
  }

  function showNode(id) {
    var node = window.nodes.get(id);
    if (!node) return false;
    var gk = node.gk || {};
    var list = el("ul");
    (gk.details || []).forEach(function (line) { list.appendChild(el("li", line)); });
    show(node.label, gk.summary, list);
    return true;
  }

  function hide() { panel.hidden = true; }

  document.getElementById("gk-evidence-close").addEventListener("click", hide);
  window.network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else hide();
  });
  window.graphkit = { showEdge: showEdge, showNode: showNode, hide: hide };
})();
