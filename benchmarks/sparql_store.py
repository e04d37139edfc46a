"""Benchmark: the embedded Oxigraph store against rdflib's in-memory store, at 1M triples.

Generates about a million triples shaped like a graphkit build (statement nodes with
provenance, direct edges for asserted claims, entity labels), then in the same run:

- load: Oxigraph bulk load into an on-disk store (what ``graphkit build`` does) against
  rdflib parsing the same N-Triples into a ``Graph``;
- two-hop queries: "allies of the allies of X, with the sentence behind the second tie",
  for 50 groups, through ``graphkit.rdf.run_query`` (the ``graphkit query`` path) against
  ``Graph.query`` on the same text.

Prints seconds and the rdflib / Oxigraph ratio for each (higher is better for Oxigraph).

    python benchmarks/sparql_store.py                 # 1,000,000 triples
    python benchmarks/sparql_store.py --triples 200000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from graphkit.vocab import DOCUMENT_BASE, ENTITY_BASE, GK, STATEMENT_BASE

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RELATIONS = [GK.alliedWith, GK.rivalOf, GK.affiliateOf, GK.supports, GK.negotiatesWith]
TRIPLES_PER_STATEMENT = 12  # about: see statement_lines


def statement_lines(i: int, rng: random.Random, entities: int) -> list[str]:
    s, o = rng.sample(range(entities), 2)
    subj, obj = f"<{ENTITY_BASE}g{s}>", f"<{ENTITY_BASE}g{o}>"
    rel = f"<{rng.choice(RELATIONS)}>"
    node = f"<{STATEMENT_BASE}s{i}>"
    asserted = rng.random() < 0.8
    lines = [f"{node} <{RDF}type> <{GK.Statement}> .",
             f"{node} <{RDF}subject> {subj} .",
             f"{node} <{RDF}predicate> {rel} .",
             f"{node} <{RDF}object> {obj} .",
             f'{node} <{GK.modality}> "{"asserted" if asserted else "negated"}" .',
             f'{node} <{GK.confidence}> "0.{rng.randint(300, 999)}"^^<{XSD}decimal> .',
             f'{node} <{GK.year}> "{rng.randint(1990, 2025)}"^^<{XSD}integer> .',
             f'{node} <{GK.evidence}> "Group {s} and group {o} were said to be linked '
             f'in report {i}." .',
             f'{node} <{GK.startOffset}> "{i % 5000}"^^<{XSD}integer> .',
             f'{node} <{GK.endOffset}> "{i % 5000 + 60}"^^<{XSD}integer> .',
             f"{node} <{PROV}wasDerivedFrom> <{DOCUMENT_BASE}d{i // 3}> ."]
    if asserted:
        lines.append(f"{subj} {rel} {obj} .")
    return lines


def write_ntriples(path: Path, triples: int, seed: int = 5) -> int:
    rng = random.Random(seed)
    statements = triples // TRIPLES_PER_STATEMENT
    entities = max(100, statements // 20)
    written = 0
    with path.open("w", encoding="utf-8") as fh:
        for e in range(entities):
            fh.write(f'<{ENTITY_BASE}g{e}> <{RDFS}label> "Group {e}" .\n'
                     f"<{ENTITY_BASE}g{e}> <{RDF}type> <{GK.MilitantGroup}> .\n")
            written += 2
        for i in range(statements):
            lines = statement_lines(i, rng, entities)
            fh.write("\n".join(lines) + "\n")
            written += len(lines)
    return written


def two_hop(group: int) -> str:
    return f"""
PREFIX gk: <{GK._NS}>
PREFIX rdf: <{RDF}>
SELECT ?ally ?second ?sentence WHERE {{
  <{ENTITY_BASE}g{group}> gk:alliedWith ?ally .
  ?ally gk:alliedWith ?second .
  ?st rdf:subject ?ally ; rdf:predicate gk:alliedWith ; rdf:object ?second ;
      gk:evidence ?sentence .
}}"""


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    import pyoxigraph
    from rdflib import Graph

    from graphkit.rdf import run_query
    from graphkit.rdf.store import load_source

    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp:
        root = Path(tmp)
        nt = root / "graph.nt"
        count = write_ntriples(nt, args.triples)
        print(f"{count:,} triples")

        (root / "build").mkdir()

        def oxi_load() -> None:
            store = pyoxigraph.Store(str(root / "build" / "store"))
            store.bulk_load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)
            store.flush()

        oxi_load_s, _ = timed(oxi_load)
        rdf_load_s, graph = timed(lambda: Graph().parse(str(nt), format="nt"))
        print(f"load:    Oxigraph {oxi_load_s:7.2f} s   rdflib {rdf_load_s:7.2f} s   "
              f"ratio {rdf_load_s / oxi_load_s:5.1f}x")

        groups = random.Random(1).sample(range(100), args.queries)
        store = load_source(root / "build")  # opened once, as `graphkit serve` does
        oxi_q_s, oxi_rows = timed(lambda: sum(len(run_query(store, two_hop(g)).rows)
                                              for g in groups))
        rdf_q_s, rdf_rows = timed(lambda: sum(len(list(graph.query(two_hop(g))))
                                              for g in groups))
        if oxi_rows != rdf_rows:
            raise SystemExit(f"the stores disagree: {oxi_rows} rows against {rdf_rows}")
        print(f"two-hop: Oxigraph {oxi_q_s:7.2f} s   rdflib {rdf_q_s:7.2f} s   "
              f"ratio {rdf_q_s / oxi_q_s:5.1f}x   ({args.queries} queries, {oxi_rows} rows)")
        # `graphkit query BUILD ...` opens the store for each command: the cost per query.
        cli_s, _ = timed(lambda: [run_query(root / "build", two_hop(g)) for g in groups])
        print(f"         opening the store for each query (graphkit query): "
              f"{cli_s / len(groups) * 1000:.0f} ms per query")


if __name__ == "__main__":
    main()
