// graphkit network view: entity labels, drawn by the page after each vis-network frame.
// vis-network's own labels grow and shrink with the zoom and overlap freely; these keep
// one screen size at every zoom. The most important entities (by degree, then
// betweenness) are labelled first and a label that would overlap one already placed is
// left out (after trying below, above, right and left of its dot), so zoomed out only the
// hubs are named and zooming in names more. Each sits on a light box, legible over
// edges. The
// entities a panel shows (state.first()) go before all others.
// Text is drawn with fillText: data never becomes markup.
function graphkitLabels(network, nodeList, state) {
  "use strict";
  var PX = 13, FONT = "px system-ui, sans-serif", GAP_X = 8, GAP_Y = 3, CELL = 64;
  var byId = {};
  nodeList.forEach(function (n) { byId[n.id] = n; });
  var rank = nodeList.slice().sort(function (a, b) {
    return b.degree - a.degree || b.betweenness - a.betweenness || (a.label < b.label ? -1 : 1);
  }).map(function (n) { return n.id; });
  var textWidth = {}, placed = [];

  function order() {
    var first = state.first();
    if (!first) return rank;
    var seen = {};
    first.forEach(function (id) { seen[id] = true; });
    return first.concat(rank.filter(function (id) { return !seen[id]; }));
  }

  // Boxes already taken, bucketed by screen cell so each test looks at a few only.
  function Grid() { this.cells = {}; }
  Grid.prototype.each = function (b, fn) {
    for (var gx = Math.floor(b.x0 / CELL); gx <= Math.floor(b.x1 / CELL); gx++) {
      for (var gy = Math.floor(b.y0 / CELL); gy <= Math.floor(b.y1 / CELL); gy++) {
        if (fn(gx + "," + gy) === true) return true;
      }
    }
    return false;
  };
  Grid.prototype.clashes = function (b) {
    var cells = this.cells;
    return this.each(b, function (key) {
      return (cells[key] || []).some(function (o) {
        return b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1;
      });
    });
  };
  Grid.prototype.keep = function (b) {
    var cells = this.cells;
    this.each(b, function (key) { (cells[key] = cells[key] || []).push(b); });
  };

  // Where the label's top-left corner goes: below, above, right or left of the dot;
  // null when that spot is off the canvas or taken.
  function fits(k, cx, cy, r, w, W, H, grid) {
    var x = k < 2 ? cx - w / 2 : k === 2 ? cx + r + 4 : cx - r - 4 - w;
    var y = k === 0 ? cy + r + 2 : k === 1 ? cy - r - 2 - PX : cy - PX / 2;
    var margin = {x0: x - GAP_X, x1: x + w + GAP_X, y0: y - GAP_Y, y1: y + PX + GAP_Y};
    if (margin.x0 < 0 || margin.x1 > W || margin.y0 < 0 || margin.y1 > H) return null;
    return grid.clashes(margin) ? null : {x: x, y: y, margin: margin};
  }

  function draw(ctx) {
    var canvas = ctx.canvas, W = canvas.clientWidth, H = canvas.clientHeight;
    var ratio = canvas.width / Math.max(W, 1), scale = network.getScale();
    var origin = network.canvasToDOM({x: 0, y: 0}), pos = network.getPositions();
    var grid = new Grid(), out = [], ids = order();
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);  // screen pixels, not canvas units
    ctx.font = PX + FONT;
    ctx.textAlign = "left"; ctx.textBaseline = "top";
    var px = parseFloat(ctx.font) * ctx.getTransform().a / ratio;  // as drawn, on screen
    for (var i = 0; i < ids.length; i++) {
      var id = ids[i], n = byId[id], p = pos[id];
      if (!p || !state.visible(id) || state.faded(id)) continue;
      var r = n.size * scale, cx = origin.x + p.x * scale, cy = origin.y + p.y * scale;
      var w = textWidth[id] || (textWidth[id] = ctx.measureText(n.label).width);
      // A labelled entity's own dot stays clear too (its label may cover lesser dots).
      var dot = {x0: cx - r, x1: cx + r, y0: cy - r, y1: cy + r};
      if (grid.clashes(dot)) continue;
      var spot = null;
      for (var k = 0; k < 4 && !spot; k++) spot = fits(k, cx, cy, r, w, W, H, grid);
      if (!spot) continue;
      grid.keep(spot.margin); grid.keep(dot);
      ctx.fillStyle = "rgba(255,255,255,0.78)";
      ctx.fillRect(spot.x - 2, spot.y - 1, w + 4, PX + 3);
      ctx.fillStyle = "#1a1a1a";
      ctx.fillText(n.label, spot.x, spot.y);
      out.push({id: id, text: n.label, x: spot.x + w / 2, y: spot.y, w: w, h: PX, px: px});
    }
    ctx.restore();
    placed = out;
  }

  return {draw: draw, px: PX, placed: function () { return placed; }};
}
