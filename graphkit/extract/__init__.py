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

# spaCy refuses texts longer than nlp.max_length, and its memory grows with the text:
# longer documents are read in pieces of about this size, with offsets mapped back.
CHUNK_CHARS = 20_000


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
        """Statements of each document, streamed in input order.

        Documents up to CHUNK_CHARS go through ``nlp.pipe`` in batches; a longer one is
        read piece by piece (see :meth:`_long`), so memory stays bounded by the piece size.
        """
        batch: list[Document] = []
        for doc in documents:
            if len(doc.text) <= CHUNK_CHARS:
                batch.append(doc)
                if len(batch) >= self.settings.batch_size * 4:
                    yield from self._short(batch)
                    batch = []
                continue
            yield from self._short(batch)
            batch = []
            yield doc, list(self._long(doc))
        yield from self._short(batch)

    def _short(self, docs: list[Document]) -> Iterator[tuple[Document, list[Statement]]]:
        pairs = ((doc.text, doc) for doc in docs)
        for spacy_doc, doc in self.nlp.pipe(pairs, as_tuples=True,
                                             batch_size=self.settings.batch_size):
            yield doc, list(self._statements(spacy_doc, doc, 0))

    def _long(self, doc: Document) -> Iterator[Statement]:
        """Read a long text in pieces. Each piece but the last gives up its final sentence,
        which may be cut, and the next piece starts there: every sentence is read whole
        once, whatever the text's line breaks."""
        start = 0
        while start < len(doc.text):
            end = _piece_end(doc.text, start)
            spacy_doc = self.nlp(doc.text[start:end])
            last = len(doc.text) if end >= len(doc.text) else _last_sentence_start(spacy_doc)
            if last <= 0:  # one sentence longer than a piece: take it as it is
                last = end - start
            yield from (st for st in self._statements(spacy_doc, doc, start)
                        if st.evidence.start < start + last)
            start += last

    def _statements(self, spacy_doc, doc: Document, offset: int) -> Iterator[Statement]:
        entities: dict[str, Entity] = spacy_doc._.gk_entities or {}
        text = spacy_doc.text  # rebuilt by spaCy on every access: once per chunk
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
                evidence=_evidence(doc.id, text, cand.start, cand.end, offset),
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


def _piece_end(text: str, start: int) -> int:
    """Where a piece starting at ``start`` ends: a paragraph or sentence end, else a
    space, within CHUNK_CHARS."""
    end = min(len(text), start + CHUNK_CHARS)
    if end >= len(text):
        return end
    floor = start + CHUNK_CHARS // 2
    for mark in ("\n", ". ", "? ", "! ", " "):
        cut = text.rfind(mark, floor, end)
        if cut != -1:
            return cut + len(mark)
    return end


def _last_sentence_start(spacy_doc) -> int:
    """Character offset of the last sentence of a parsed piece."""
    last = 0
    for sent in spacy_doc.sents:
        last = sent.start_char
    return last
