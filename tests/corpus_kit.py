"""A small corpus with known answers, and the SHACL check every corpus test runs on its builds."""

from __future__ import annotations

import json
from pathlib import Path

from graphkit.rdf.validate import validate_source

ENT = "https://w3id.org/graphkit/entity/"
DELTA, COAST, LIONS, SAND = (ENT + n for n in (
    "red-delta-army", "free-coast-brigades", "mountain-lions-front", "black-sand-battalion"))

# Each document: id, text, and the metadata the aggregates read (date, source).
DOCUMENTS = {
    "a": ("The Red Delta Army allied with the Free Coast Brigades in 2014. "
          "The Red Delta Army is a rival of the Mountain Lions Front.",
          {"date": "2014-06-01", "source": "Delta Wire"}),
    "b": ("The Free Coast Brigades fought alongside the Red Delta Army in 2016. "
          "The Mountain Lions Front clashed with the Red Delta Army in 2016.",
          {"date": "2016-02-01", "source": "Delta Wire"}),
    "c": ("The Red Delta Army clashed with the Free Coast Brigades in 2018. "
          "The Red Delta Army is not allied with the Mountain Lions Front.",
          {"source": "Coast Herald"}),
    "d": ("The Black Sand Battalion broke away from the Red Delta Army in 2017. "
          "The Black Sand Battalion is an affiliate of the Red Delta Army.",
          {"date": "2017-03-03"}),
    "e": ("The Mountain Lions Front is allied with the Red Delta Army.",
          {"date": "2019-09-09"}),
}


def write_corpus(folder: Path, names: str = "abcde", **changed: str) -> Path:
    """One JSONL file per document under ``folder``; ``changed`` overrides a text."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        text, meta = DOCUMENTS[name]
        row = {"id": name, "text": changed.get(name, text), **meta}
        (folder / f"{name}.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    return folder


def assert_valid(source: Path) -> None:
    """The build conforms to ontologies/shapes.ttl."""
    violations = validate_source(source)
    assert violations == [], "\n".join(v.render() for v in violations)
