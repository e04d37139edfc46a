"""Cutting a document into pieces of work, shared by extraction and the engines.

A very long document is cut into segments of about SEGMENT_CHARS at paragraph (else
sentence) ends. Segments are independent units of work, so the workers of a parallel
run share one huge file, statements stream out segment by segment, and a one-process
run cuts the same segments, so every run agrees.

>>> from graphkit.model import Document
>>> [(p.offset, p.text) for p in pieces(Document("d", "Short text."))]
[(0, 'Short text.')]
>>> text = "One. Two. Three."
>>> text[:cut(text, 0, 10)]  # about 10 characters, ending after a sentence
'One. Two. '
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from graphkit.model import Document

SEGMENT_CHARS = 200_000


@dataclass(frozen=True)
class Piece:
    """A stretch of one document to read: a whole document, or a segment of a long one.

    Pieces are plain data, so they travel to worker processes and cluster nodes.
    """

    doc_id: str
    text: str
    offset: int = 0  # where ``text`` starts in the document

    @property
    def end(self) -> int:
        """Where ``text`` ends in the document."""
        return self.offset + len(self.text)


def pieces(doc: Document) -> Iterator[Piece]:
    """The segments of ``doc``, cut at paragraph or sentence ends (lazily: a 100 MB
    document is never copied whole)."""
    start = 0
    while True:
        end = cut(doc.text, start, SEGMENT_CHARS)
        yield Piece(doc.id, doc.text[start:end], start)
        if end >= len(doc.text):
            return
        start = end


def cut(text: str, start: int, size: int) -> int:
    """Where a stretch of about ``size`` characters from ``start`` ends: a paragraph or
    sentence end, else a space, in its second half."""
    end = min(len(text), start + size)
    if end >= len(text):
        return end
    floor = start + size // 2
    for mark in ("\n\n", "\n", ". ", "? ", "! ", " "):
        found = text.rfind(mark, floor, end)
        if found != -1:
            return found + len(mark)
    return end
