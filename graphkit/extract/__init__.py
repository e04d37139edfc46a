"""Extraction: Documents in, Statements out. spaCy objects never leave this package.

>>> from graphkit.settings import Settings
>>> extractor = Extractor(Settings())                        # doctest: +SKIP
>>> for doc, statements in extractor.extract(documents):     # doctest: +SKIP
...     print(doc.id, len(statements))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from graphkit.model import Document, Entity, Evidence, Statement
from graphkit.settings import Settings
from graphkit.vocab import EntityType

__all__ = ["Extractor", "Piece", "pieces"]

# spaCy refuses texts longer than nlp.max_length, and its memory grows with the text:
# longer documents are read in pieces of about this size, with offsets mapped back.
CHUNK_CHARS = 20_000
# A very long document is first cut into segments of about this size at paragraph (else
# sentence) ends. Segments are independent units of work, so the workers of a parallel
# run share one huge file; a one-process run cuts the same segments, so both agree.
SEGMENT_CHARS = 200_000


@dataclass(frozen=True)
class Piece:
    """A stretch of one document to read: a whole document, or a segment of a long one.

    Pieces are plain data, so they travel to worker processes and cluster nodes.

    >>> [(p.offset, p.text) for p in pieces(Document("d", "Short text."))]
    [(0, 'Short text.')]
    """

    doc_id: str
    text: str
    offset: int = 0  # where ``text`` starts in the document


def pieces(doc: Document) -> Iterator[Piece]:
    """The segments of ``doc``, cut at paragraph or sentence ends (lazily: a 100 MB
    document is never copied whole)."""
    start = 0
    while True:
        end = _cut(doc.text, start, SEGMENT_CHARS)
        yield Piece(doc.id, doc.text[start:end], start)
        if end >= len(doc.text):
            return
        start = end


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


def _cut(text: str, start: int, size: int) -> int:
    """Where a stretch of about ``size`` characters from ``start`` ends: a paragraph or
    sentence end, else a space, in its second half."""
    end = min(len(text), start + size)
    if end >= len(text):
        return end
    floor = start + size // 2
    for mark in ("\n\n", "\n", ". ", "? ", "! ", " "):
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
