// graphkit network view: live filters, search, node and edge panels, entity labels.
// Every string from the data is set with textContent or as a text node, never parsed as
// HTML, so a quote that contains markup shows as text and runs nothing.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("gk-data").textContent);
  var FADED = 0.12;
  // Many edges drawn at full strength hide the nodes under them: the more edges, the
  // lighter each one (fading for a selection is relative to this).
  var EDGE_ALPHA = DATA.edges.length > 1500 ? 0.3 : DATA.edges.length > 300 ? 0.5 :
                   DATA.edges.length > 60 ? 0.75 : 1;
  var byId = {}, edgeById = {}, incident = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; incident[n.id] = []; });
  DATA.edges.forEach(function (e) {
    edgeById[e.id] = e;
    incident[e.from].push(e);
    if (e.to !== e.from) incident[e.to].push(e);
  });
  var relationLabel = {};
  DATA.relations.forEach(function (r) { relationLabel[r.id] = r.label; });

  function $(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  // --- the network ---------------------------------------------------------------------
  // Node labels are not vis-network's (those scale with the zoom and overlap): the page
  // draws them itself after each frame (labels.js). "name" keeps the label.
  function visNode(n) {
    return {id: n.id, name: n.label, x: n.x, y: n.y, color: n.color, size: n.size,
            title: n.title, opacity: 1};
  }
  function visEdge(e) {
    return {id: e.id, from: e.from, to: e.to, label: e.label, width: e.width,
            dashes: e.dashes, arrows: e.arrows, smooth: e.smooth, title: e.title,
            color: {color: e.color, opacity: EDGE_ALPHA}};
  }

  // --- filters -------------------------------------------------------------------------
  function checkbox(container, id, value, checked, swatch, text, count) {
    var label = el("label", null, "gk-check");
    var box = el("input");
    box.type = "checkbox"; box.value = value; box.checked = checked; box.id = id;
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(document.createTextNode(text + " "));
    var counter = el("span", "(" + count + ")", "gk-count");
    if (count !== undefined) label.appendChild(counter);
    container.appendChild(label);
    return counter;
  }
  function swatch(color, dashed) {
    var s = el("span", null, "gk-swatch" + (dashed ? " gk-dashed" : ""));
    s.style.borderTopColor = color;
    return s;
  }
  function dot(color) {
    var s = el("span", null, "gk-dot");
    s.style.backgroundColor = color;
    return s;
  }
  // The legend's counts say what is shown: apply() rewrites them after every filter.
  var relationCount = {}, classCount = {};
  DATA.relations.forEach(function (r) {
    relationCount[r.id] = checkbox($("gk-relations"), "gk-rel-" + r.id, r.id, true,
                                   swatch(r.color, false), r.label, r.count);
  });
  DATA.modalities.forEach(function (m) {
    checkbox($("gk-modalities"), "gk-mod-" + m, m, m === "asserted",
             swatch("#888", m !== "asserted"), m === "asserted" ? m : m + " (dashed)");
  });
  DATA.classes.forEach(function (c) {
    classCount[c.id] = checkbox($("gk-classes"), "gk-class-" + c.id, c.id, true, dot(c.color),
                                c.id, c.count);
  });
  var years = DATA.years;
  ["gk-year-from", "gk-year-to"].forEach(function (id, i) {
    var input = $(id);
    if (!years) { input.disabled = true; return; }
    input.min = years[0]; input.max = years[1]; input.value = years[i];
  });
  $("gk-min-sources").max = Math.max(DATA.maxSources, 1);

  function checked(container) {
    var out = {};
    $(container).querySelectorAll("input:checked").forEach(function (b) { out[b.value] = true; });
    return out;
  }

  function readFilters() {
    var from = years ? Number($("gk-year-from").value) : null;
    var to = years ? Number($("gk-year-to").value) : null;
    if (years && from > to) { var t = from; from = to; to = t; }
    return {relations: checked("gk-relations"), modalities: checked("gk-modalities"),
            classes: checked("gk-classes"), minConfidence: Number($("gk-min-confidence").value),
            minSources: Number($("gk-min-sources").value), from: from, to: to,
            undated: $("gk-undated").checked};
  }

  function edgePasses(e, f) {
    if (!f.relations[e.relation] || !f.modalities[e.modality]) return false;
    if (e.confidence < f.minConfidence - 1e-9 || e.sources < f.minSources) return false;
    if (!f.classes[byId[e.from].class] || !f.classes[byId[e.to].class]) return false;
    if (e.first_year === undefined) return f.undated;
    return f.from === null || (e.first_year <= f.to && e.last_year >= f.from);
  }

  function compute(f) {
    var showEdge = {}, showNode = {}, nEdges = 0, nNodes = 0, dropped = 0;
    var relations = {}, classes = {};
    DATA.edges.forEach(function (e) {
      if (!edgePasses(e, f)) return;
      showEdge[e.id] = true; showNode[e.from] = showNode[e.to] = true; nEdges++;
      relations[e.relation] = (relations[e.relation] || 0) + 1;
    });
    DATA.nodes.forEach(function (n) {
      // An entity without any tie at all stays visible when its class is on; one whose
      // ties are all filtered out is hidden, and the status line counts it.
      if (!showNode[n.id] && f.classes[n.class] && incident[n.id].length === 0) showNode[n.id] = true;
      if (showNode[n.id]) { nNodes++; classes[n.class] = (classes[n.class] || 0) + 1; }
      else if (f.classes[n.class]) dropped++;
    });
    return {edges: showEdge, nodes: showNode, nEdges: nEdges, nNodes: nNodes, dropped: dropped,
            relations: relations, classes: classes};
  }

  // The first filter state is computed before the network exists, so hidden items are
  // created hidden instead of being drawn and then removed.
  var visible = compute(readFilters());
  var focus = null;
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var v = visNode(n); v.hidden = !visible.nodes[n.id]; return v;
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var v = visEdge(e); v.hidden = !visible.edges[e.id]; return v;
  }));
  var network = new vis.Network($("mynetwork"), {nodes: nodes, edges: edges}, DATA.options);

  // Re-fit to what the filters leave, so a filter never leaves the view on empty space.
  function refit() {
    var ids = DATA.nodes.filter(function (n) { return visible.nodes[n.id]; })
      .map(function (n) { return n.id; });
    if (ids.length) network.fit({nodes: ids, animation: false});
    if (!panel.hidden && selection) reveal(selection);
  }

  function apply(initial) {
    var f = readFilters();
    $("gk-min-confidence-value").textContent = f.minConfidence.toFixed(2);
    $("gk-min-sources-value").textContent = f.minSources;
    if (years) {
      $("gk-year-from-value").textContent = f.from;
      $("gk-year-to-value").textContent = f.to;
    }
    var next = compute(f), showEdge = next.edges, showNode = next.nodes;
    var edgeChanges = [], nodeChanges = [];
    DATA.edges.forEach(function (e) {
      if (!!visible.edges[e.id] !== !!showEdge[e.id]) edgeChanges.push({id: e.id, hidden: !showEdge[e.id]});
    });
    DATA.nodes.forEach(function (n) {
      if (!!visible.nodes[n.id] !== !!showNode[n.id]) nodeChanges.push({id: n.id, hidden: !showNode[n.id]});
    });
    visible = next;
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    DATA.relations.forEach(function (r) {
      relationCount[r.id].textContent = "(" + (next.relations[r.id] || 0) + ")";
    });
    DATA.classes.forEach(function (c) {
      classCount[c.id].textContent = "(" + (next.classes[c.id] || 0) + ")";
    });
    if (nodeChanges.length && initial !== true) refit();
    var status = next.nNodes + " of " + DATA.nodes.length + " entities, " + next.nEdges + " of " +
                 DATA.edges.length + " ties shown";
    if (next.dropped) status += " · " + next.dropped + " entities hidden: none of their ties pass the filters";
    $("gk-status").textContent = status;
    if (focus !== null) fade(focus);
    return {nodes: next.nNodes, edges: next.nEdges, hiddenEntities: next.dropped};
  }

  // --- neighbourhood fading ------------------------------------------------------------
  var faded = {nodes: {}, edges: {}};
  function fade(nodeId) {
    focus = nodeId;
    var keepNodes = {}, keepEdges = {};
    if (nodeId !== null) {
      keepNodes[nodeId] = true;
      incident[nodeId].forEach(function (e) {
        if (visible.edges[e.id]) { keepEdges[e.id] = true; keepNodes[e.from] = keepNodes[e.to] = true; }
      });
    }
    var nodeChanges = [], edgeChanges = [];
    DATA.nodes.forEach(function (n) {
      var dim = nodeId !== null && !keepNodes[n.id];
      if (dim !== !!faded.nodes[n.id]) nodeChanges.push({id: n.id, opacity: dim ? FADED : 1});
      faded.nodes[n.id] = dim;
    });
    DATA.edges.forEach(function (e) {
      var dim = nodeId !== null && !keepEdges[e.id];
      if (dim !== !!faded.edges[e.id]) {
        edgeChanges.push({id: e.id, color: {color: e.color, opacity: (dim ? FADED : 1) * EDGE_ALPHA}});
      }
      faded.edges[e.id] = dim;
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
  }

  // --- panels --------------------------------------------------------------------------
  var panel = $("gk-evidence"), body = $("gk-evidence-body"), selection = null;

  function link(url, text) {
    // Only web links become clickable; anything else (javascript:, data:) stays text.
    if (!/^https?:\/\//i.test(url)) return el("span", text || url);
    var a = el("a", text || url);
    a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  }

  function terms(ids) {
    var out = [];
    ids.forEach(function (id) {
      var n = byId[id];
      [n.label].concat(n.aliases || []).forEach(function (t) { if (t && t.length > 1) out.push(t); });
    });
    return out;
  }

  var WORD = /[\p{L}\p{N}]/u;
  // The quote as text nodes, with every mention of the two entities in a <mark>.
  function highlighted(quote, names) {
    var lower = quote.toLowerCase(), spans = [];
    names.forEach(function (name) {
      var needle = name.toLowerCase(), at = lower.indexOf(needle);
      while (needle && at >= 0) {
        var end = at + needle.length;
        if (!WORD.test(quote.charAt(at - 1)) && !WORD.test(quote.charAt(end))) spans.push([at, end]);
        at = lower.indexOf(needle, at + 1);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var q = el("q"), pos = 0;
    spans.forEach(function (s) {
      if (s[0] < pos) return;  // overlaps a longer, earlier mention
      q.appendChild(document.createTextNode(quote.slice(pos, s[0])));
      q.appendChild(el("mark", quote.slice(s[0], s[1])));
      pos = s[1];
    });
    q.appendChild(document.createTextNode(quote.slice(pos)));
    return q;
  }

  // vis-network's hover tooltip would stay up over the panel (the mouse has left the
  // canvas, so vis never hears it go): it goes whenever a panel opens or closes.
  function hideTooltip() {
    var handler = network.interactionHandler;
    // vis looks for a new tooltip target only while it has none: forget the old one too,
    // or no tooltip would ever show again.
    if (handler && handler.popup) { handler.popup.hide(); handler.popupObj = undefined; }
    document.querySelectorAll("div.vis-tooltip").forEach(function (t) { t.style.visibility = "hidden"; });
  }

  function show(title, summary, parts, ids) {
    body.replaceChildren(el("h3", title), el("p", summary, "gk-summary"));
    parts.forEach(function (p) { body.appendChild(p); });
    panel.hidden = false;
    hideTooltip();
    selection = ids;
    reveal(ids);
  }

  // The panel covers the canvas's right side: pan (and zoom out when they do not fit)
  // so the entities it talks about sit in the canvas left free beside it.
  var MARGIN = 30;
  function reveal(ids) {
    var box = $("mynetwork").getBoundingClientRect(), side = panel.getBoundingClientRect();
    var free = {left: MARGIN, right: side.left - box.left - MARGIN, top: MARGIN, bottom: box.height - MARGIN};
    if (free.right - free.left < 120) free.right = box.width - MARGIN;  // narrow window: no room beside it
    var shown = ids.filter(function (id) { return visible.nodes[id]; });
    if (!shown.length) return;
    var pos = network.getPositions(shown), scale = network.getScale();
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    shown.forEach(function (id) {
      var p = pos[id], r = byId[id].size;
      x0 = Math.min(x0, p.x - r); x1 = Math.max(x1, p.x + r);
      y0 = Math.min(y0, p.y - r); y1 = Math.max(y1, p.y + r + LABEL_PX / scale);
    });
    var a = network.canvasToDOM({x: x0, y: y0}), b = network.canvasToDOM({x: x1, y: y1});
    var covered = b.x > side.left - box.left && a.y < side.bottom - box.top && b.y > side.top - box.top;
    if (!covered && a.x >= 0 && a.y >= 0 && b.x <= box.width && b.y <= box.height) return;
    var view = network.getViewPosition();
    if (b.x - a.x <= free.right - free.left && b.y - a.y <= free.bottom - free.top) {
      // It fits: shift just enough, so the rest of the view moves as little as it can.
      var dx = b.x > free.right ? free.right - b.x : a.x < free.left ? free.left - a.x : 0;
      var dy = b.y > free.bottom ? free.bottom - b.y : a.y < free.top ? free.top - a.y : 0;
      network.moveTo({position: {x: view.x - dx / scale, y: view.y - dy / scale},
                      scale: scale, animation: false});
      return;
    }
    var s = Math.min((free.right - free.left) / Math.max(x1 - x0, 1),
                     (free.bottom - free.top) / Math.max(y1 - y0, 1));
    // Too big: zoom out until it fits, centred in the free part (the view position is
    // the canvas point at the container's centre).
    var cx = (free.left + free.right) / 2, cy = (free.top + free.bottom) / 2;
    network.moveTo({position: {x: (x0 + x1) / 2 - (cx - box.width / 2) / s,
                               y: (y0 + y1) / 2 - (cy - box.height / 2) / s},
                    scale: s, animation: false});
  }

  function edgeName(e) { return e.label || e.name; }

  function showEdge(id) {
    var e = edgeById[id];
    if (!e) return false;
    var list = el("ol"), names = terms([e.from, e.to]);
    e.evidence.forEach(function (ev) {
      var li = el("li");
      li.appendChild(highlighted(String(ev.sentence || ""), names));
      var doc = el("div", null, "gk-source");
      var title = ev.title || ev.doc || "untitled document";
      doc.appendChild(ev.url ? link(String(ev.url), title) : el("span", title));
      var meta = [ev.date, ev.doc !== title && ev.doc, ev.year && ("year " + ev.year)];
      meta = meta.filter(Boolean);
      if (meta.length) doc.appendChild(document.createTextNode(" · " + meta.join(" · ")));
      li.appendChild(doc);
      li.appendChild(el("div", e.modality + " · confidence " +
                        (ev.confidence === undefined ? "n/a" : ev.confidence), "gk-source"));
      if (ev.url && !/^https?:\/\//i.test(String(ev.url))) li.appendChild(el("div", ev.url, "gk-source"));
      list.appendChild(li);
    });
    show(byId[e.from].label + " — " + edgeName(e) + (e.symmetric ? " — " : " → ") + byId[e.to].label,
         e.summary, [list], [e.from, e.to]);
    return true;
  }

  function tieButton(e, nodeId) {
    var other = byId[e.from === nodeId ? e.to : e.from];
    var arrow = e.symmetric ? "— " : e.from === nodeId ? "→ " : "← ";
    var b = el("button", arrow + other.label + (e.modality === "asserted" ? "" : " (" + e.modality + ")") +
               " · " + e.statements + " statement" + (e.statements === 1 ? "" : "s"), "gk-tie");
    b.type = "button";
    b.addEventListener("click", function () { showEdge(e.id); network.selectEdges([e.id]); });
    return b;
  }

  function showNode(id) {
    var n = byId[id];
    if (!n) return false;
    var parts = [], facts = el("ul");
    if (n.qid && /^Q[1-9][0-9]*$/.test(n.qid)) {
      var li = el("li", "Wikidata: ");
      li.appendChild(link("https://www.wikidata.org/wiki/" + n.qid, n.qid));
      facts.appendChild(li);
    }
    if (n.minted) facts.appendChild(el("li", "not in the gazetteer (minted)"));
    if (n.aliases.length) facts.appendChild(el("li", "also: " + n.aliases.join("; ")));
    facts.appendChild(el("li", "degree " + n.degree + " · betweenness " + n.betweenness.toFixed(3) +
                         " · eigenvector " + n.eigenvector.toFixed(3) +
                         (n.community >= 0 ? " · alliance bloc " + n.community : "") +
                         (n.bridge ? " · bridges blocs" : "")));
    parts.push(facts);
    var groups = {}, hidden = 0;
    incident[id].forEach(function (e) {
      if (!visible.edges[e.id]) { hidden++; return; }
      (groups[e.relation] = groups[e.relation] || []).push(e);
    });
    DATA.relations.forEach(function (r) {
      if (!groups[r.id]) return;
      parts.push(el("h4", r.label + " (" + groups[r.id].length + ")"));
      var ul = el("ul");
      groups[r.id].forEach(function (e) { var li = el("li"); li.appendChild(tieButton(e, id)); ul.appendChild(li); });
      parts.push(ul);
    });
    if (hidden) parts.push(el("p", hidden + " more tie" + (hidden === 1 ? "" : "s") + " hidden by the filters", "gk-source"));
    fade(id);
    var around = [id];
    incident[id].forEach(function (e) {
      if (visible.edges[e.id]) around.push(e.from === id ? e.to : e.from);
    });
    show(n.label, n.class, parts, around);
    return true;
  }

  function hide() { panel.hidden = true; selection = null; hideTooltip(); fade(null); }

  // --- labels (labels.js) ---------------------------------------------------------------
  var labels = graphkitLabels(network, DATA.nodes, {
    visible: function (id) { return !!visible.nodes[id]; },
    faded: function (id) { return !!faded.nodes[id]; },
    first: function () { return selection; }
  });
  var LABEL_PX = labels.px;

  // --- search --------------------------------------------------------------------------
  var names = [];
  DATA.nodes.forEach(function (n) {
    [n.label].concat(n.aliases).forEach(function (t) { names.push([t.toLowerCase(), n.id, t]); });
  });
  var datalist = $("gk-names");
  names.slice().sort(function (a, b) { return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0; })
    .forEach(function (entry) { var o = el("option"); o.value = entry[2]; datalist.appendChild(o); });

  function search(text) {
    var needle = String(text).trim().toLowerCase();
    if (!needle) return null;
    var hit = names.find(function (e) { return e[0] === needle; }) ||
              names.find(function (e) { return e[0].indexOf(needle) >= 0; });
    if (!hit) { $("gk-status").textContent = "no entity or alias matches “" + text + "”"; return null; }
    network.selectNodes([hit[1]]);
    network.focus(hit[1], {scale: 1.2, animation: false});
    showNode(hit[1]);
    return hit[1];
  }

  // --- wiring --------------------------------------------------------------------------
  $("gk-filters").addEventListener("input", apply);
  $("gk-filters").addEventListener("change", apply);
  $("gk-reset").addEventListener("click", function () {
    $("gk-filters").querySelectorAll("input[type=checkbox]").forEach(function (b) {
      b.checked = b.id.indexOf("gk-mod-") !== 0 || b.value === "asserted";
    });
    $("gk-min-confidence").value = 0; $("gk-min-sources").value = 1;
    if (years) { $("gk-year-from").value = years[0]; $("gk-year-to").value = years[1]; }
    apply();
  });
  $("gk-search-form").addEventListener("submit", function (ev) { ev.preventDefault(); search($("gk-search").value); });
  $("gk-evidence-close").addEventListener("click", hide);
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else hide();
  });
  panel.addEventListener("mouseenter", hideTooltip);
  network.on("afterDrawing", labels.draw);
  var counts = apply(true);
  window.nodes = nodes; window.edges = edges; window.network = network;
  window.graphkit = {showEdge: showEdge, showNode: showNode, hide: hide, search: search,
                     apply: apply, initial: counts, data: DATA, reveal: reveal,
                     labels: labels.placed,
                     visible: function () { return visible; },
                     faded: function () { return faded; }};
})();
