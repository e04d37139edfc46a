"""Make docs/screenshot.png: the HTML view of a five-report corpus (notebooks/data/
reports.jsonl, three outlets) in headless Chromium, with the filters, the legend and the
evidence panel of the most-supported tie open.

Run from the repository root: ``python docs/screenshot.py`` (needs chromium on PATH).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from graphkit.build import build
from graphkit.network import read_network, write_html
from graphkit.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "notebooks" / "data" / "reports.jsonl"
TARGET = ROOT / "docs" / "screenshot.png"
# Opens the panel of the edge with the most statements once the page has loaded.
OPEN_PANEL = """<script>
window.addEventListener("load", function () {
  var edges = window.graphkit.data.edges.filter(function (e) {
    return e.modality === "asserted"; });
  edges.sort(function (a, b) {
    return b.statements - a.statements || (a.id < b.id ? -1 : 1); });
  if (edges.length) {
    window.graphkit.showEdge(edges[0].id);
    window.network.selectEdges([edges[0].id]);
  }
});
</script>
"""


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium is not on PATH", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reports"
        build([CORPUS], out, Settings(progress=False))
        page = Path(tmp) / "view.html"
        write_html(read_network(out), page, title="graphkit: five reports, three outlets",
                   physics=False)
        text = page.read_text(encoding="utf-8")
        cut = text.rfind("</body>")
        page.write_text(text[:cut] + OPEN_PANEL + text[cut:], encoding="utf-8")
        shot = Path(tmp) / "shot.png"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-first-run", "--proxy-server=127.0.0.1:9",
                        f"--user-data-dir={Path(tmp) / 'profile'}", "--hide-scrollbars",
                        "--window-size=1400,820", "--virtual-time-budget=5000",
                        f"--screenshot={shot}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
        shutil.copyfile(shot, TARGET)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
