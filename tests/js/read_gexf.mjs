// Parse a GEXF file the way Gephi Lite does (graphology-gexf) and print what was read
// as JSON: {type, multi, order, size, nodes: [{key, attributes}], edges: [...]}.
// Strict options: undeclared attributes and edges to missing nodes are errors.
// Usage: node read_gexf.mjs FILE.gexf    (exit 1 with the parser's message on failure)
import { readFileSync } from "node:fs";
import Graph from "graphology";
import gexf from "graphology-gexf";

const path = process.argv[2];
if (!path) {
  console.error("usage: node read_gexf.mjs FILE.gexf");
  process.exit(2);
}
try {
  const graph = gexf.parse(Graph, readFileSync(path, "utf-8"), {
    addMissingNodes: false,
    allowUndeclaredAttributes: false,
  });
  const data = graph.export();
  console.log(JSON.stringify({
    type: graph.type,
    multi: graph.multi,
    order: graph.order,
    size: graph.size,
    nodes: data.nodes,
    edges: data.edges,
  }));
} catch (err) {
  console.error(`graphology-gexf: ${err.message}`);
  process.exit(1);
}
