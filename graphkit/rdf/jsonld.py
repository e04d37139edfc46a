"""JSON-LD output with graphkit's published context (``ontologies/context.jsonld``).

The context gives the graph's prefixes (``gk:``, ``ent:``, ``stmt:``, ...) and short
terms for the relations (``alliedWith``, ...) and labels. The export embeds it, so the
file reads offline in any JSON-LD processor; the same object is published as
``ontologies/context.jsonld`` for documents that link to it.

>>> from rdflib import Graph
>>> from graphkit.vocab import ENT, GK
>>> g = Graph()
>>> _ = g.add((ENT.a, GK.alliedWith, ENT.b))
>>> data = json.loads(to_jsonld(g))
>>> data["@context"] == context() and data["alliedWith"]
'ent:b'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Graph

from graphkit.fileio import atomic_write
from graphkit.settings import ONTOLOGY_DIR

CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"


def context() -> dict[str, Any]:
    """The ``@context`` object of the published context file."""
    data: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return dict(data["@context"])


def to_jsonld(graph: Graph) -> str:
    """``graph`` as compacted JSON-LD text with the context embedded."""
    return graph.serialize(format="json-ld", context=context(), indent=1)


def write_jsonld(graph: Graph, path: Path) -> Path:
    """Write ``graph`` as JSON-LD to ``path`` (replaced atomically; a file system error is
    an OutputError naming the file)."""
    with atomic_write(Path(path)) as fh:
        fh.write(to_jsonld(graph))
    return Path(path)
