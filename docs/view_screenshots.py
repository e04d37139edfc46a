"""Make docs/view-30.png, docs/view-300.png and docs/view-3000.png: the HTML view of
synthetic networks of 30, 300 and 3,000 entities at the view's default zoom, in headless
Chromium (1200x800), to show how labels thin out as the graph grows. The 300 view has
the panel of its best-connected entity open: the view pans that entity and its
neighbours beside the panel and fades the rest.

The networks are generated here (seeded, so the pictures change only when the view
does): invented groups, people, states and places in blocs, with hubs (preferential
attachment), alliances inside a bloc, rivalries across, state support, leaders and
areas of operation.

Run from the repository root: ``python docs/view_screenshots.py [--only 300]``
(needs chromium on PATH; about a minute on 2 cores). Where Pillow is installed the
PNGs are reduced to 256 colours, about a third of the size.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import networkx as nx

from graphkit.network import add_layout_and_measures, edge_key, write_html
from graphkit.vocab import EntityType, Modality, Relation

ROOT = Path(__file__).resolve().parent.parent
SIZES = (30, 300, 3000)
WINDOW = (1200, 800)
PANEL_AT = 300
# Opens the panel of the best-connected entity once the page has loaded and settled.
OPEN_HUB = """<script>
window.addEventListener("load", function () {
  setTimeout(function () {
    var hub = window.graphkit.data.nodes.slice().sort(function (a, b) {
      return b.degree - a.degree || (a.id < b.id ? -1 : 1); })[0];
    window.network.selectNodes([hub.id]);
    window.graphkit.showNode(hub.id);
  }, 8000);
});
</script>
"""

_SYLLABLES = ["ka", "ran", "mo", "sel", "ta", "vi", "dor", "na", "bel", "zu", "ar", "lin",
              "os", "te", "mar", "qu", "il", "sa", "ro", "den", "ha", "fir", "ul", "ne"]
_GROUP_FORMS = ["{} Liberation Front", "{} Brigades", "Army of {}", "{} Movement",
                "{} Council", "People's Guard of {}", "{} Legion", "Sons of {}"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _name(rng: random.Random, kind: EntityType) -> str:
    if kind is EntityType.MILITANT_GROUP:
        return rng.choice(_GROUP_FORMS).format(_word(rng))
    if kind is EntityType.PERSON:
        return f"{_word(rng)} {_word(rng)}"
    if kind is EntityType.STATE:
        return f"Republic of {_word(rng)}"
    return f"{_word(rng)} province"


def synthetic(n: int, seed: int = 11) -> nx.MultiDiGraph:
    """``n`` entities in blocs of about 12, about two ties per entity."""
    rng = random.Random(seed)
    kinds = ([EntityType.MILITANT_GROUP] * 5 + [EntityType.PERSON] * 2
             + [EntityType.LOCATION, EntityType.STATE])
    G = nx.MultiDiGraph()
    blocs = max(1, n // 12)
    # One entry per tie end (overall and per bloc): drawing from them favours hubs.
    ends: list[str] = []
    bloc_ends: dict[int, list[str]] = {b: [] for b in range(blocs)}
    for i in range(n):
        kind, bloc, node = rng.choice(kinds), i % blocs, f"e:{i:05d}"
        G.add_node(node, label=_name(rng, kind), aliases=[], minted=False,
                   **{"class": kind.value}, bloc=bloc)
        ends.append(node)
        bloc_ends[bloc].append(node)
    # Only entities in some statement become nodes: each gets one tie first.
    pending = [f"e:{i:05d}" for i in range(n)]
    while G.number_of_edges() < 2 * n:
        u = pending.pop() if pending else rng.choice(ends)
        bloc = G.nodes[u]["bloc"]
        same = rng.random() < 0.8
        v = rng.choice(bloc_ends[bloc] if same else ends)
        if u == v or (not same and G.nodes[v]["bloc"] == bloc):
            if G.degree(u) == 0:
                pending.append(u)
            continue
        relation = _tie(rng, G.nodes[u]["class"], G.nodes[v]["class"], same)
        if relation is None:
            relation = _tie(rng, G.nodes[v]["class"], G.nodes[u]["class"], same)
            u, v = v, u
        if relation is None:
            if G.degree(u) == 0:
                pending.append(u)
            if G.degree(v) == 0:
                pending.append(v)
            continue
        if relation.symmetric and v < u:
            u, v = v, u
        key = edge_key(relation.value, Modality.ASSERTED.value)
        if G.has_edge(u, v, key):
            if G.degree(u) == 0:
                pending.append(u)
            continue
        year = rng.randrange(2005, 2024)
        G.add_edge(u, v, key=key, relation=relation.value, modality=Modality.ASSERTED.value,
                   confidence=round(rng.uniform(0.5, 1), 2), weight=1, documents=1,
                   sources=1, first_year=year, last_year=year, evidence=[])
        ends += [u, v]
        bloc_ends[G.nodes[u]["bloc"]].append(u)
        bloc_ends[G.nodes[v]["bloc"]].append(v)
    for _, data in G.nodes(data=True):
        del data["bloc"]
    return G


def _tie(rng: random.Random, a: str, b: str, same_bloc: bool) -> Relation | None:
    """A relation that fits the two classes, from ``a`` to ``b``, or None."""
    group, person = EntityType.MILITANT_GROUP.value, EntityType.PERSON.value
    state, place = EntityType.STATE.value, EntityType.LOCATION.value
    if b == place:
        return Relation.OPERATES_IN if a in (group, state) else None
    if a == person:
        return Relation.LEADER_OF if b == group else None
    if a == state:
        return Relation.SUPPORTS if b in (group, person) else Relation.NEGOTIATES_WITH
    if a == group and b == group:
        if same_bloc:
            return rng.choice([Relation.ALLIED_WITH] * 3 + [Relation.AFFILIATE_OF])
        return rng.choice([Relation.RIVAL_OF, Relation.NEGOTIATES_WITH])
    return None


def screenshot(n: int, target: Path, chromium: str) -> None:
    G = add_layout_and_measures(synthetic(n))
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "view.html"
        write_html(G, page, title=f"graphkit: {n:,} synthetic entities")
        if n == PANEL_AT:
            text = page.read_text(encoding="utf-8")
            cut = text.rfind("</body>")
            page.write_text(text[:cut] + OPEN_HUB + text[cut:], encoding="utf-8")
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--proxy-server=127.0.0.1:9", f"--user-data-dir={Path(tmp) / 'p'}",
                        "--hide-scrollbars", f"--window-size={WINDOW[0]},{WINDOW[1]}",
                        "--virtual-time-budget=20000", f"--screenshot={target}",
                        page.as_uri()],
                       check=True, capture_output=True, timeout=600)
    _shrink(target)


def _shrink(png: Path) -> None:
    try:
        from PIL import Image
    except ImportError:  # optional: the full-colour PNG is fine, only larger
        return
    with Image.open(png) as image:
        # Octree keeps the small legend swatches their true colours (median cut does not).
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(png, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=int, choices=SIZES, help="one size only")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium is not on PATH", file=sys.stderr)
        return 1
    for n in [args.only] if args.only else SIZES:
        target = args.out / f"view-{n}.png"
        screenshot(n, target, chromium)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
