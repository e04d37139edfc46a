"""Extraction: Documents in, Statements out. spaCy objects never leave this package.

>>> from graphkit.settings import Settings
>>> extractor = Extractor(Settings())                        # doctest: +SKIP
>>> for doc, statements in extractor.extract(documents):     # doctest: +SKIP
...     print(doc.id, len(statements))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from graphkit.model import Document, Entity, Evidence, Statement
from graphkit.segments import SEGMENT_CHARS, Piece, pieces
from graphkit.segments import cut as _cut
from graphkit.settings import Settings
from graphkit.vocab import EntityType

__all__ = ["SEGMENT_CHARS", "Extractor", "Piece", "pieces"]

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
        """Statements of each document, streamed in input order, in this process.

        (:mod:`graphkit.engines` runs the same work over worker processes or a cluster.)
        """
        from graphkit.engines.batching import batches, in_order

        work = batches(documents, self.settings.batch_size)
        done = ((batch, self.read(batch.pieces)) for batch in work)
        yield from in_order(done)

    def read(self, work: Sequence[Piece]) -> list[list[Statement]]:
        """The statements of each piece, in order.

        Pieces up to CHUNK_CHARS go through ``nlp.pipe`` together; a longer one is read
        part by part (see :meth:`_long`), so memory stays bounded by the part size.
        """
        found: dict[int, list[Statement]] = {}
        short = [(p.text, i) for i, p in enumerate(work) if len(p.text) <= CHUNK_CHARS]
        for spacy_doc, i in self.nlp.pipe(short, as_tuples=True,
                                          batch_size=self.settings.batch_size):
            found[i] = list(self._statements(spacy_doc, work[i].doc_id, work[i].offset))
        for i, piece in enumerate(work):
            if i not in found:
                found[i] = list(self._long(piece))
        return [found[i] for i in range(len(work))]

    def _long(self, piece: Piece) -> Iterator[Statement]:
        """Read a long text in parts. Each part but the last gives up its final sentence,
        which may be cut, and the next part starts there: every sentence is read whole
        once, whatever the text's line breaks."""
        text, start = piece.text, 0
        while start < len(text):
            end = _cut(text, start, CHUNK_CHARS)
            spacy_doc = self.nlp(text[start:end])
            last = len(text) if end >= len(text) else _last_sentence_start(spacy_doc)
            if last <= 0:  # one sentence longer than a part: take it as it is
                last = end - start
            yield from (st for st in self._statements(spacy_doc, piece.doc_id,
                                                      piece.offset + start)
                        if st.evidence.start < piece.offset + start + last)
            start += last

    def _statements(self, spacy_doc, doc_id: str, offset: int) -> Iterator[Statement]:
        entities: dict[str, Entity] = spacy_doc._.gk_entities or {}
        text = spacy_doc.text  # rebuilt by spaCy on every access: once per part
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
                evidence=_evidence(doc_id, text, cand.start, cand.end, offset),
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


def _last_sentence_start(spacy_doc) -> int:
    """Character offset of the last sentence of a parsed piece."""
    last = 0
    for sent in spacy_doc.sents:
        last = sent.start_char
    return last
