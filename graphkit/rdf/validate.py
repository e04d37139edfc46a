"""SHACL validation of a graph against ``ontologies/shapes.ttl`` (pyshacl).

>>> from graphkit.model import Entity, Evidence, Statement
>>> from graphkit.rdf.build import statements_to_graph
>>> from graphkit.vocab import EntityType, Modality, Relation
>>> a = Entity("a", "A", EntityType.MILITANT_GROUP)
>>> st = Statement(a, Relation.ALLIED_WITH, a, Modality.ASSERTED, 0.5, None,
...                Evidence("d", "A and A.", 0, 8))
>>> validate_graph(statements_to_graph([st]))
[]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

from graphkit.errors import InputError
from graphkit.rdf.terms import compact
from graphkit.settings import ONTOLOGY_DIR

SHAPES = ONTOLOGY_DIR / "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One SHACL result: where, which property, and the shape's message."""

    focus: str
    path: str
    message: str
    severity: str

    def render(self) -> str:
        return f"{self.severity}: {self.focus} {self.path}: {self.message}"


def validate_graph(graph: Graph, shapes: Path = SHAPES) -> list[Violation]:
    """Every SHACL result of ``graph`` against ``shapes``, sorted; empty when it conforms."""
    from pyshacl import validate

    shapes_graph = Graph().parse(shapes, format="turtle")
    _conforms, report, _text = validate(graph, shacl_graph=shapes_graph, inference="none",
                                        advanced=True, allow_warnings=True)
    if not isinstance(report, Graph):  # pragma: no cover - pyshacl returns a graph here
        raise InputError("SHACL validation returned no report graph")
    found = []
    for result in report.subjects(SH.resultSeverity, None):
        severity = report.value(result, SH.resultSeverity)
        found.append(Violation(
            focus=compact(str(report.value(result, SH.focusNode))),
            path=compact(str(report.value(result, SH.resultPath) or "")),
            message=str(report.value(result, SH.resultMessage) or "constraint violated"),
            severity=str(severity).rsplit("#", 1)[-1],
        ))
    return sorted(found, key=lambda v: (v.focus, v.path, v.message))


def validate_source(source: str | Path) -> list[Violation]:
    """Validate a build folder or an RDF file (named graphs merged), read as every
    command reads its source (:func:`graphkit.rdf.store.read_source_graph`)."""
    from graphkit.rdf.store import read_source_graph

    path = Path(source)
    if not path.exists():
        raise InputError(f"nothing to validate at {source}: give a build folder or an RDF file")
    return validate_graph(read_source_graph(path))
