"""What an existing build folder already holds, for incremental builds and removals.

The build's ``graph.ttl`` is the record: statements, documents (with the hash of their
text) and entities are read back from it; ``statements.jsonl`` keeps its rows per document
so they are carried over unchanged.

>>> import tempfile, pathlib
>>> PreviousBuild.load(pathlib.Path(tempfile.mkdtemp())).documents
{}
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkit.errors import InputError
from graphkit.model import Statement
from graphkit.rdf.build import DocumentInfo

GRAPH_FILE = "graph.ttl"
JSONL_FILE = "statements.jsonl"


@dataclass
class PreviousBuild:
    """Documents, statements and JSONL rows of a build folder, keyed by document id."""

    documents: dict[str, DocumentInfo] = field(default_factory=dict)
    statements: dict[str, list[Statement]] = field(default_factory=dict)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # document ids in JSONL order

    @classmethod
    def load(cls, out_dir: Path) -> PreviousBuild:
        """Read ``out_dir``; a folder without ``graph.ttl`` is an empty previous build."""
        from rdflib import Graph

        from graphkit.rdf.read import graph_to_documents, graph_to_statements

        graph_path = Path(out_dir) / GRAPH_FILE
        if not graph_path.is_file():
            return cls()
        try:
            graph = Graph().parse(graph_path, format="turtle")
        except Exception as err:  # rdflib raises many parser exception types
            raise InputError(f"cannot read the existing build {graph_path}: "
                             f"{' '.join(str(err).split())}") from None
        previous = cls(documents={d.id: d for d in graph_to_documents(graph)})
        by_doc: dict[str, list[Statement]] = defaultdict(list)
        for st in graph_to_statements(graph):
            by_doc[st.evidence.doc_id].append(st)
        previous.statements = dict(by_doc)
        previous._load_rows(Path(out_dir) / JSONL_FILE)
        return previous

    def _load_rows(self, path: Path) -> None:
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if path.is_file():
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        row = json.loads(line)
                        # Rows of documents the graph does not hold were written by a
                        # build killed before its graph.ttl: the graph is the record.
                        if str(row["doc"]) in self.documents:
                            rows[str(row["doc"])].append(row)
        for doc_id, statements in self.statements.items():
            if doc_id not in rows:  # JSONL lost or stale: the graph is the record
                rows[doc_id] = [st.to_json() for st in statements]
        self.rows = dict(rows)
        self.order = list(rows) + sorted(set(self.documents) - set(rows))

    def unchanged(self, doc_id: str, content_hash: str) -> bool:
        """Whether the build already holds this exact text under this id."""
        known = self.documents.get(doc_id)
        return known is not None and known.content_hash == content_hash

    def forget(self, doc_id: str) -> None:
        """Drop everything the build holds for ``doc_id``."""
        self.documents.pop(doc_id, None)
        self.statements.pop(doc_id, None)
        self.rows.pop(doc_id, None)
        if doc_id in self.order:
            self.order.remove(doc_id)
