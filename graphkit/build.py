"""The whole path: inputs → statements → RDF → store, Turtle, JSONL, HTML, GEXF.

The library does the work; the CLI only parses options and reports. Progress is
reported through a callback so the library prints nothing itself.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graphkit import __version__
from graphkit.errors import InputError
from graphkit.fileio import atomic_write
from graphkit.ingest import SkipHandler, check_output_dir, iter_documents
from graphkit.model import Document, Entity, Statement
from graphkit.settings import Settings

Progress = Callable[[Document, int], None]


@dataclass
class BuildSummary:
    """What a build read and wrote."""

    documents: int = 0
    skipped: int = 0
    entities: int = 0
    statements: int = 0
    by_relation: Counter[str] = field(default_factory=Counter)
    by_modality: Counter[str] = field(default_factory=Counter)
    outputs: dict[str, Path] = field(default_factory=dict)


def extract_statements(
    inputs: Sequence[str | Path],
    settings: Settings,
    *,
    on_skip: SkipHandler | None = None,
    on_document: Progress | None = None,
) -> Iterator[tuple[Document, list[Statement]]]:
    """Stream (document, statements) pairs for every usable input document."""
    from graphkit.extract import Extractor

    documents = iter_documents(list(inputs), on_skip=on_skip)
    extractor = Extractor(settings)
    for doc, statements in extractor.extract(documents):
        if on_document is not None:
            on_document(doc, len(statements))
        yield doc, statements


def build(
    inputs: Sequence[str | Path],
    out_dir: Path,
    settings: Settings,
    *,
    on_skip: SkipHandler | None = None,
    on_document: Progress | None = None,
) -> BuildSummary:
    """Build the graph of ``inputs`` into ``out_dir`` and return a summary."""
    from graphkit.network import to_networkx, write_gexf, write_html
    from graphkit.rdf import statements_to_graph, write_build

    out_dir = Path(out_dir)
    check_output_dir(out_dir)
    summary = BuildSummary()

    def skipped(where: str, reason: str) -> None:
        summary.skipped += 1
        if on_skip is not None:
            on_skip(where, reason)

    documents: list[Document] = []
    statements: list[Statement] = []
    jsonl_path = out_dir / "statements.jsonl"
    with atomic_write(jsonl_path) as fh:
        for doc, found in extract_statements(inputs, settings, on_skip=skipped,
                                             on_document=on_document):
            documents.append(doc)
            for st in found:
                fh.write(json.dumps(st.to_json(), ensure_ascii=False) + "\n")
            statements.extend(found)
    if not documents:
        raise InputError("no usable input documents" + (
            f" ({summary.skipped} skipped)" if summary.skipped else ""))
    graph = statements_to_graph(statements, documents, _entities(statements),
                                extractor=f"graphkit-{__version__}", model=settings.model)
    summary.outputs = write_build(graph, out_dir)
    summary.outputs["statements"] = jsonl_path
    network = to_networkx(graph)
    write_gexf(network, out_dir / "graph.gexf")
    write_html(network, out_dir / "graph.html", title=f"graphkit: {out_dir.name}")
    summary.outputs["gexf"] = out_dir / "graph.gexf"
    summary.outputs["html"] = out_dir / "graph.html"
    _summarise(summary, documents, statements)
    return summary


def _entities(statements: Iterable[Statement]) -> list[Entity]:
    seen: dict[str, Entity] = {}
    for st in statements:
        for entity in (st.subject, st.object):
            seen.setdefault(entity.id, entity)
    return list(seen.values())


def _summarise(summary: BuildSummary, documents: list[Document],
               statements: list[Statement]) -> None:
    summary.documents = len(documents)
    summary.statements = len(statements)
    summary.entities = len(_entities(statements))
    summary.by_relation = Counter(st.predicate.value for st in statements)
    summary.by_modality = Counter(st.modality.value for st in statements)
