"""How fast the HTML view opens and answers a filter at 5,000 entities / 20,000 edges.

Builds a synthetic network of that size (seeded), writes the view with graphkit's own
writer (Python layout, physics off), opens it in headless Chromium with no network, and
reads timings the page records with ``performance.now()`` (under headless Chromium's
virtual time, busy work is counted and idle waits are skipped):

- first render: from navigation start to vis-network's first finished drawing;
- filter: from unticking one relation type to the next finished drawing;
- focus: from a search submit to the next drawing (panel filled, rest faded).

Run: ``python benchmarks/html_view.py [--nodes N --edges M]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from graphkit.network import add_layout_and_measures, edge_key, write_html
from graphkit.vocab import EntityType, Modality, Relation

PROBE = """
<script>
(function () {
  var t = {loaded: performance.now()}, first = true, pre = document.createElement("pre");
  pre.id = "gk-bench"; document.body.appendChild(pre);
  function save() { pre.textContent = JSON.stringify(t); }
  save();
  window.network.on("afterDrawing", function () {
    if (first) { first = false; t.firstRender = performance.now(); save(); setTimeout(step1, 300); }
    else if (t.pending) { t[t.pending] = performance.now() - t.start; t.pending = null; save(); }
  });
  // With physics off vis-network may already have drawn inside its constructor; asking
  // for one more frame makes "first render" the first complete frame after set-up.
  window.network.redraw();
  function measure(name, action, next) {
    t.pending = name; t.start = performance.now(); action();
    t[name + "Sync"] = performance.now() - t.start; save(); setTimeout(next, 2500);
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
    save();
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
    added = 0  # G.number_of_edges() walks every node: too slow to call per edge
    while added < edges:
        u, v = f"e:{rng.randrange(nodes)}", f"e:{int(rng.paretovariate(1.2)) % nodes}"
        rel, mod = rng.choice(relations), rng.choices(modalities, [8, 1, 1])[0]
        if u == v or G.has_edge(u, v, edge_key(rel.value, mod.value)):
            continue
        year = rng.randrange(1995, 2024)
        evidence = [{"statement": f"s{added}", "doc": f"d{rng.randrange(900)}",
                     "sentence": f"Group {u[2:]} and Group {v[2:]} were reported together.",
                     "confidence": 0.8, "year": year}]
        G.add_edge(u, v, key=edge_key(rel.value, mod.value), relation=rel.value,
                   modality=mod.value, confidence=round(rng.uniform(0.4, 1), 2), weight=1,
                   documents=1, sources=1, first_year=year, last_year=year, evidence=evidence)
        added += 1
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
        recorded = _open_and_wait(chromium, page, Path(tmp))
    found = re.search(r"(.*)", recorded or "", re.DOTALL)
    if not found or "focus" not in found.group(1):
        print("recorded: "
              f"{found.group(1) if found else 'nothing'}", file=sys.stderr)
        sys.exit("the page recorded no timings (did it render?)")
    result = json.loads(found.group(1))
    result.update(prepare_seconds=prepared, page_megabytes=size / 1e6)
    return result


def _open_and_wait(chromium: str, page: Path, tmp: Path, limit: float = 180) -> str | None:
    """Open ``page`` in headless Chromium in real time (no virtual clock) and return the
    probe's record once it holds every timing. Driven over the DevTools pipe (fd 3/4)."""
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--proxy-server=127.0.0.1:9", f"--user-data-dir={tmp / 'profile'}",
           "--window-size=1400,900", "--remote-debugging-pipe", "about:blank"]

    def fds() -> None:  # Chromium reads commands on fd 3 and answers on fd 4
        high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)  # so neither dup2 clobbers
        high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)  # the other's source
        os.dup2(high_r, 3)
        os.dup2(high_w, 4)

    # pass_fds keeps 3 and 4 open through the fd clean-up that follows preexec_fn.
    proc = subprocess.Popen(cmd, preexec_fn=fds, pass_fds=(3, 4),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    reader = os.fdopen(from_chrome_r, "rb")
    counter = iter(range(1, 10**9))

    def call(method: str, params: dict, session: str | None = None) -> dict:
        msg_id = next(counter)
        msg = {"id": msg_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(to_chrome_w, json.dumps(msg).encode() + b"\0")
        buf = b""
        while True:
            chunk = reader.read1(65536)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == msg_id:
                    return reply.get("result", {})

    try:
        target = call("Target.createTarget", {"url": page.as_uri()})["targetId"]
        session = call("Target.attachToTarget", {"targetId": target, "flatten": True})
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            time.sleep(1)
            value = call("Runtime.evaluate", {"expression": "(document.getElementById("
                         "'gk-bench') || {}).textContent || ''", "returnByValue": True},
                         session["sessionId"]).get("result", {}).get("value", "")
            if '"shown"' in value:
                return str(value)
        return None
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    args = parser.parse_args()
    r = run(args.nodes, args.edges)
    print(f"{args.nodes} nodes, {args.edges} edges; page {r['page_megabytes']:.1f} MB; "
          f"layout + analytics in Python {r['prepare_seconds']:.1f} s")
    print(f"first render      {r['firstRender']:.0f} ms")
    print(f"filter response   {r['filter']:.0f} ms  (untick 'allied with')")
    print(f"search + focus    {r['focus']:.0f} ms")
    print(f"filter / first-render ratio {r['filter'] / r['firstRender']:.2f}")


if __name__ == "__main__":
    main()
