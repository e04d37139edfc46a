"""Extraction: Documents in, Statements out. spaCy objects never leave this package.

>>> from graphkit.settings import Settings
>>> extractor = Extractor(Settings())                        # doctest: +SKIP
>>> for doc, statements in extractor.extract(documents):     # doctest: +SKIP
...     print(doc.id, len(statements))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from graphkit.model import Document, Entity, Evidence, Statement
from graphkit.settings import Settings
from graphkit.vocab import EntityType

__all__ = ["Extractor"]

# spaCy refuses texts longer than nlp.max_length; long documents are read in pieces
# split at paragraph boundaries, with offsets mapped back to the whole text.
CHUNK_CHARS = 100_000


class Extractor:
    """Holds one loaded pipeline; reuse it for every document of a run."""

    def __init__(self, settings: Settings) -> None:
        from graphkit.extract.pipeline import load_pipeline

        self.settings = settings
        self.nlp = load_pipeline(settings)

    @property
    def model_name(self) -> str:
        meta = self.nlp.meta
        return f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '?')}"

    def extract(self, documents: Iterable[Document]) -> Iterator[tuple[Document, list[Statement]]]:
        """Statements of each document, streamed in input order."""
        pieces = ((text, (doc, offset)) for doc in documents
                  for offset, text in _chunks(doc.text))
        current: Document | None = None
        found: list[Statement] = []
        for spacy_doc, (doc, offset) in self.nlp.pipe(
                pieces, as_tuples=True, batch_size=self.settings.batch_size):
            if current is not None and doc is not current:
                yield current, found
                found = []
            current = doc
            found.extend(self._statements(spacy_doc, doc, offset))
        if current is not None:
            yield current, found

    def _statements(self, spacy_doc, doc: Document, offset: int) -> Iterator[Statement]:
        entities: dict[str, Entity] = spacy_doc._.gk_entities or {}
        for cand in spacy_doc._.gk_relations or []:
            if cand.confidence < self.settings.min_confidence:
                continue
            subject = entities[cand.subject]
            obj = entities[cand.object]
            yield Statement(
                subject=_as_type(subject, cand.subject_type),
                predicate=cand.relation,
                object=_as_type(obj, cand.object_type),
                modality=cand.modality,
                confidence=cand.confidence,
                year=cand.year,
                evidence=_evidence(doc.id, spacy_doc.text, cand.start, cand.end, offset),
            )


def _evidence(doc_id: str, text: str, start: int, end: int, offset: int) -> Evidence:
    """The sentence without surrounding white space; offsets still index the document."""
    raw = text[start:end]
    start += len(raw) - len(raw.lstrip())
    end -= len(raw) - len(raw.rstrip())
    return Evidence(doc_id, text[start:end], offset + start, offset + end)


def _as_type(entity: Entity, type_name: str) -> Entity:
    """The entity as typed in this mention (a state named as a place is a Location)."""
    if entity.type.value == type_name:
        return entity
    from dataclasses import replace

    return replace(entity, type=EntityType(type_name))


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    if len(text) <= CHUNK_CHARS:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + CHUNK_CHARS // 2, end)
            if cut == -1:
                cut = text.rfind(". ", start + CHUNK_CHARS // 2, end)
            end = cut + 1 if cut != -1 else end
        yield start, text[start:end]
        start = end
