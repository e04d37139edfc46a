"""Contradictions read back from any query source, with the evidence on each side.

Works on a build folder, an RDF file or a SPARQL endpoint URL, through the saved
``contradictions`` query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graphkit.errors import QueryError
from graphkit.rdf.terms import compact


@dataclass(frozen=True)
class Claim:
    """One statement on one side of a contradiction."""

    subject: str
    relation: str
    object: str
    modality: str
    year: int | None
    document: str
    evidence: str

    def render(self) -> str:
        year = f", {self.year}" if self.year is not None else ""
        return (f"{self.subject} {self.relation} {self.object} ({self.modality}{year}) "
                f"[{self.document}]: \"{' '.join(self.evidence.split())}\"")


@dataclass
class ContradictionReport:
    """A contradiction: its kind, its claims and its counter-claims."""

    iri: str
    kind: str
    claims: list[Claim] = field(default_factory=list)
    counter_claims: list[Claim] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"{self.kind}: {self.title()}"]
        lines += [f"  + {claim.render()}" for claim in self.claims]
        lines += [f"  - {claim.render()}" for claim in self.counter_claims]
        return "\n".join(lines)

    def title(self) -> str:
        first = self.claims[0] if self.claims else self.counter_claims[0]
        return f"{first.subject} / {first.object}"


def list_contradictions(source: str | Path, kind: str | None = None) -> list[ContradictionReport]:
    """Every contradiction in ``source`` (optionally of one ``kind``), in a stable order."""
    from graphkit.corpus.contradictions import KINDS
    from graphkit.rdf import run_query
    from graphkit.rdf.saved import saved_query

    if kind is not None and kind not in KINDS:
        raise QueryError(f"unknown contradiction kind {kind!r}; kinds: {', '.join(KINDS)}")
    saved = saved_query("contradictions")
    if saved is None:  # pragma: no cover - the package ships it
        raise QueryError("the saved query 'contradictions' is missing from the package")
    result = run_query(source, saved.text)
    found: dict[str, ContradictionReport] = {}
    columns = {name: i for i, name in enumerate(result.variables)}
    for row in result.rows:
        def cell(name: str, row: tuple = row) -> str | None:
            value = row[columns[name]]
            return None if value is None else str(value)

        iri, row_kind = str(cell("contradiction")), str(cell("kind"))
        if kind is not None and row_kind != kind:
            continue
        report = found.setdefault(iri, ContradictionReport(iri, row_kind))
        claim = Claim(cell("subjectLabel") or "?", compact(str(cell("relation"))),
                      cell("objectLabel") or "?", str(cell("modality")),
                      _int(cell("year")), str(cell("document")), str(cell("evidence")))
        side = report.claims if cell("side") == "claim" else report.counter_claims
        if claim not in side:
            side.append(claim)
    return sorted(found.values(), key=lambda r: (r.kind, r.title(), r.iri))


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None
