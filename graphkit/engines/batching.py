"""Cutting a stream of documents into batches of pieces, and putting results back in order.

Every engine does the same: batches go out (to this process, worker processes or a Dask
cluster), each comes back as one list of statements per piece, and :func:`in_parts`
hands each piece's statements on in input order as a :class:`Part` (so a huge document
streams out segment by segment); :func:`whole` joins the parts into documents. Only a
bounded number of batches is in flight at once, so memory does not grow with the corpus.

>>> from graphkit.model import Document
>>> docs = [Document("a", "One."), Document("b", "Two.")]
>>> [len(b.pieces) for b in batches(docs, batch_size=1)]
[1, 1]
>>> done = ((b, [[] for _ in b.pieces]) for b in batches(docs, batch_size=8))
>>> [(doc.id, found) for doc, found in in_order(done)]
[('a', []), ('b', [])]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from graphkit.model import Document, Statement
from graphkit.segments import Piece, pieces
from graphkit.settings import Settings

# A batch holds at most this many characters (or batch_size pieces), so the work a
# worker gets, and what is in flight, stays the same size whatever the documents.
BATCH_CHARS = 200_000

Found = list[list[Statement]]
T_co = TypeVar("T_co", covariant=True)


class Pending(Protocol[T_co]):
    """A result not ready yet: a concurrent.futures or Dask future."""

    def result(self) -> T_co: ...


@dataclass
class Batch:
    """Pieces to read, and for each the document it belongs to and whether it is the
    document's last piece. Only ``pieces`` travels to workers."""

    pieces: list[Piece] = field(default_factory=list)
    owners: list[tuple[Document, bool]] = field(default_factory=list)
    chars: int = 0


def batches(documents: Iterable[Document], batch_size: int) -> Iterator[Batch]:
    """Batches of at most ``batch_size`` pieces or BATCH_CHARS characters, in order."""
    batch = Batch()
    for doc in documents:
        parts = pieces(doc)
        piece = next(parts)
        for following in parts:
            batch = yield from _add(batch, piece, doc, False, batch_size)
            piece = following
        batch = yield from _add(batch, piece, doc, True, batch_size)
    if batch.pieces:
        yield batch


def _add(batch: Batch, piece: Piece, doc: Document, last: bool,
         batch_size: int) -> Generator[Batch, None, Batch]:
    """Add ``piece``, first yielding ``batch`` if the piece would overfill it."""
    if batch.pieces and (len(batch.pieces) >= batch_size
                         or batch.chars + len(piece.text) > BATCH_CHARS):
        yield batch
        batch = Batch()
    batch.pieces.append(piece)
    batch.owners.append((doc, last))
    batch.chars += len(piece.text)
    return batch


@dataclass(frozen=True)
class Part:
    """The statements of one piece of a document, and how far into it the piece ends."""

    document: Document
    statements: list[Statement]
    end: int  # characters of the document read once this part is
    last: bool  # the document's last part


def run_parallel(documents: Iterable[Document], settings: Settings,
                 submit: Callable[[list[Piece]], Pending[Found]],
                 window: int) -> Iterator[Part]:
    """What every parallel engine does: batches out through ``submit``, at most
    ``window`` in flight, parts back in input order. Batches are smaller than one
    process's, so the last batch of a run leaves the other workers idle for less."""
    work = batches(documents, max(8, settings.batch_size // 4))
    return in_parts(bounded(work, submit, window))


def in_parts(done: Iterable[tuple[Batch, Found]]) -> Iterator[Part]:
    """One part per piece of the batches, with its results, in input order."""
    for batch, found in done:
        for piece, (doc, last), statements in zip(batch.pieces, batch.owners, found,
                                                  strict=True):
            yield Part(doc, statements, piece.end, last)


def whole(parts: Iterable[Part]) -> Iterator[tuple[Document, list[Statement]]]:
    """(document, statements) pairs: the parts of each document joined."""
    gathered: list[Statement] = []
    for part in parts:
        gathered.extend(part.statements)
        if part.last:
            yield part.document, gathered
            gathered = []


def in_order(done: Iterable[tuple[Batch, Found]]) -> Iterator[tuple[Document, list[Statement]]]:
    """(document, statements) pairs from batches and their results, in input order."""
    return whole(in_parts(done))


def bounded(work: Iterable[Batch], submit: Callable[[list[Piece]], Pending[Found]],
            window: int) -> Iterator[tuple[Batch, Found]]:
    """Submit batches keeping at most ``window`` in flight; results in submission order."""
    flight: deque[tuple[Batch, Pending[Found]]] = deque()
    for batch in work:
        flight.append((batch, submit(batch.pieces)))
        if len(flight) >= window:
            oldest, pending = flight.popleft()
            yield oldest, pending.result()
    while flight:
        oldest, pending = flight.popleft()
        yield oldest, pending.result()
