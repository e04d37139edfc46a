"""How fast the HTML view opens and answers a filter at 5,000 entities / 20,000 edges.

Builds a synthetic network of that size (seeded), writes the view with graphkit's own
writer (Python layout, physics off), opens it in headless Chromium with no network, and
reads timings the page records with ``performance.now()``:

- first render: from navigation start to vis-network's first finished drawing;
- filter: from unticking one relation type to the next finished drawing;
- focus: from a search submit to the next drawing (panel filled, rest faded).

Run: ``python benchmarks/html_view.py [--nodes N --edges M]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html import unescape
from pathlib import Path

import networkx as nx

from graphkit.network import add_layout_and_measures, edge_key, write_html
from graphkit.vocab import EntityType, Modality, Relation

PROBE = """
<script>
(function () {
  var t = {}, first = true;
  window.network.on("afterDrawing", function () {
    if (first) { first = false; t.firstRender = performance.now(); setTimeout(step1, 300); }
    else if (t.pending) { t[t.pending] = performance.now() - t.start; t.pending = null; }
  });
  function measure(name, action, next) {
    t.pending = name; t.start = performance.now(); action(); setTimeout(next, 2500);
  }
  function step1() {
    measure("filter", function () { document.getElementById("gk-rel-alliedWith").click(); }, step2);
  }
  function step2() {
    measure("focus", function () {
      document.getElementById("gk-search").value = "Group 17";
      document.getElementById("gk-search-form").requestSubmit(); }, done);
  }
  function done() {
    t.shown = window.graphkit.visible().nEdges;
    var pre = document.createElement("pre"); pre.id = "gk-bench";
    pre.textContent = JSON.stringify(t); document.body.appendChild(pre);
  }
})();
</script>
"""


def synthetic(nodes: int, edges: int, seed: int = 7) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    classes = [EntityType.MILITANT_GROUP] * 6 + [EntityType.PERSON, EntityType.STATE,
                                                 EntityType.LOCATION]
    G = nx.MultiDiGraph()
    for i in range(nodes):
        G.add_node(f"e:{i}", label=f"Group {i}", aliases=[f"G{i}"],
                   **{"class": rng.choice(classes).value}, minted=False)
    relations, modalities = list(Relation), list(Modality)
    while G.number_of_edges() < edges:
        u, v = f"e:{rng.randrange(nodes)}", f"e:{int(rng.paretovariate(1.2)) % nodes}"
        rel, mod = rng.choice(relations), rng.choices(modalities, [8, 1, 1])[0]
        if u == v or G.has_edge(u, v, edge_key(rel.value, mod.value)):
            continue
        year = rng.randrange(1995, 2024)
        evidence = [{"statement": f"s{G.number_of_edges()}", "doc": f"d{rng.randrange(900)}",
                     "sentence": f"Group {u[2:]} and Group {v[2:]} were reported together.",
                     "confidence": 0.8, "year": year}]
        G.add_edge(u, v, key=edge_key(rel.value, mod.value), relation=rel.value,
                   modality=mod.value, confidence=round(rng.uniform(0.4, 1), 2), weight=1,
                   documents=1, sources=1, first_year=year, last_year=year, evidence=evidence)
    return G


def run(nodes: int, edges: int) -> dict[str, float]:
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium is not on PATH (make test-deps installs it)")
    started = time.perf_counter()
    G = add_layout_and_measures(synthetic(nodes, edges))
    prepared = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "view.html"
        write_html(G, page, title="benchmark")
        text = page.read_text(encoding="utf-8")
        cut = text.rfind("</body>")
        page.write_text(text[:cut] + PROBE + text[cut:], encoding="utf-8")
        size = page.stat().st_size
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--proxy-server=127.0.0.1:9", f"--user-data-dir={Path(tmp) / 'profile'}",
               "--window-size=1400,900", "--timeout=30000", "--dump-dom", page.as_uri()]
        dom = subprocess.run(cmd, capture_output=True, text=True, timeout=300).stdout
    found = re.search(r'<pre id="gk-bench">(.*?)</pre>', dom, re.DOTALL)
    if not found:
        sys.exit("the page recorded no timings (did it render?)")
    result = json.loads(unescape(found.group(1)))
    result.update(prepare_seconds=prepared, page_megabytes=size / 1e6)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    args = parser.parse_args()
    r = run(args.nodes, args.edges)
    print(f"{args.nodes} nodes, {args.edges} edges; page {r['page_megabytes']:.1f} MB; "
          f"layout + analytics in Python {r['prepare_seconds']:.1f} s")
    print(f"first render      {r['firstRender'] / 1000:.2f} s")
    print(f"filter response   {r['filter'] / 1000:.2f} s  (untick 'allied with')")
    print(f"search + focus    {r['focus'] / 1000:.2f} s")
    print(f"filter / first-render ratio {r['filter'] / r['firstRender']:.2f}")


if __name__ == "__main__":
    main()
