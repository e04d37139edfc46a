"""graphkit's spaCy components, all registered here.

``gk_mentions`` finds and resolves mentions; ``gk_relations`` reads relations between
them. Each ``__call__`` is match → set annotations → return doc.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from graphkit.extract.mentions import SPAN_KEY, MentionFinder, register_extensions
from graphkit.extract.relations import PATTERNS_PATH, RelationReader, load_patterns
from graphkit.gazetteer import Gazetteer

register_extensions()


@Language.component("gk_clause_breaks")
def clause_breaks(doc: Doc) -> Doc:
    """Start a sentence after a semicolon, before the parser runs: news prose joins
    independent clauses with ";" and the parser otherwise ties them into one tree."""
    for token in doc[:-1]:
        if token.text == ";":
            doc[token.i + 1].is_sent_start = True
    return doc


@Language.factory("gk_mentions", default_config={"gazetteer_path": ""})
def make_mentions(nlp: Language, name: str, gazetteer_path: str) -> MentionFinder:
    return MentionFinder(nlp, Gazetteer.load(Path(gazetteer_path)))


class RelationComponent:
    """The ``gk_relations`` component: candidates into ``doc._.gk_relations``."""

    def __init__(self, reader: RelationReader) -> None:
        self.reader = reader

    def __call__(self, doc: Doc) -> Doc:
        doc._.gk_relations = self.reader.read(doc, list(doc.spans.get(SPAN_KEY, [])))
        return doc


@Language.factory("gk_relations", default_config={"patterns_path": ""})
def make_relations(nlp: Language, name: str, patterns_path: str) -> RelationComponent:
    return RelationComponent(RelationReader(load_patterns(Path(patterns_path or PATTERNS_PATH))))
