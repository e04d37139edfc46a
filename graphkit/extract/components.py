"""graphkit's spaCy components, all registered here.

``gk_mentions`` finds and resolves mentions; ``gk_relations`` reads relations between
them. Each ``__call__`` is match → set annotations → return doc.

The same factories are published as ``graphkit_clause_breaks``, ``graphkit_mentions``
and ``graphkit_relations`` through spaCy's ``spacy_factories`` entry points
(pyproject.toml), so ``nlp.add_pipe("graphkit_mentions")`` works in any pipeline
without importing graphkit, and a pipeline saved with them loads again wherever graphkit
is installed. Their default configs read with the shipped gazetteer, patterns and models.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from graphkit.extract.mentions import SPAN_KEY, MentionFinder, register_extensions
from graphkit.extract.relations import PATTERNS_PATH, RelationReader, load_patterns
from graphkit.extract.scoring import TYPE_MODEL, PairScorer, model_folder
from graphkit.gazetteer import Gazetteer
from graphkit.learn.linear import LinearModel
from graphkit.settings import ONTOLOGY_DIR

register_extensions()


@Language.component("gk_clause_breaks")
def clause_breaks(doc: Doc) -> Doc:
    """Start a sentence after a semicolon, before the parser runs: news prose joins
    independent clauses with ";" and the parser otherwise ties them into one tree."""
    for token in doc[:-1]:
        if token.text == ";":
            doc[token.i + 1].is_sent_start = True
    return doc


MENTIONS_CONFIG = {"gazetteer_path": "", "entity_types": "model", "model_dir": ""}
RELATIONS_CONFIG = {"patterns_path": "", "model_dir": "", "use_model": True, "threshold": 0.5}


def make_clause_breaks(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The factory of ``clause_breaks`` (an entry point must name a factory)."""
    return clause_breaks


@Language.factory("gk_mentions", default_config=MENTIONS_CONFIG)
def make_mentions(nlp: Language, name: str, gazetteer_path: str, entity_types: str,
                  model_dir: str) -> MentionFinder:
    """``entity_types``: "model" (the learned entity layer), "collect" (its training
    features, no typing) or "off"."""
    if entity_types not in ("model", "collect", "off"):
        raise ValueError(f"entity_types {entity_types!r}; valid: model, collect, off")
    types: LinearModel | str | None = None
    if entity_types == "model":
        types = LinearModel.load(model_folder(model_dir) / TYPE_MODEL)
    elif entity_types == "collect":
        types = "collect"
    gazetteer = Path(gazetteer_path) if gazetteer_path else ONTOLOGY_DIR / "gazetteer.ttl"
    return MentionFinder(nlp, Gazetteer.load(gazetteer), types)


class RelationComponent:
    """The ``gk_relations`` component: candidates into ``doc._.gk_relations``.

    The patterns read first; the relation model, when there is one, scores every
    mention pair with the patterns' findings among its features.
    """

    def __init__(self, reader: RelationReader, scorer: PairScorer | None) -> None:
        self.reader = reader
        self.scorer = scorer

    def __call__(self, doc: Doc) -> Doc:
        mentions = list(doc.spans.get(SPAN_KEY, []))
        found = self.reader.read(doc, mentions)
        if self.scorer is not None:
            found = self.scorer.read(doc, mentions, found)
        doc._.gk_relations = found
        return doc


@Language.factory("gk_relations", default_config=RELATIONS_CONFIG)
def make_relations(nlp: Language, name: str, patterns_path: str, model_dir: str,
                   use_model: bool, threshold: float) -> RelationComponent:
    reader = RelationReader(load_patterns(Path(patterns_path or PATTERNS_PATH)), nlp.vocab)
    scorer = PairScorer.load(model_folder(model_dir), threshold) if use_model else None
    return RelationComponent(reader, scorer)


# The public names (see the module docstring); the entry points name these functions.
Language.factory("graphkit_clause_breaks", func=make_clause_breaks)
Language.factory("graphkit_mentions", default_config=MENTIONS_CONFIG, func=make_mentions)
Language.factory("graphkit_relations", default_config=RELATIONS_CONFIG, func=make_relations)
