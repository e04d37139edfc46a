"""JSON Lines input: one document per line, bad lines reported and skipped.

>>> skipped = []
>>> rows = '{"text": "Group A met Group B.", "id": "n1", "date": "2019-04-02"}\\n\\n[1]\\n'
>>> docs = list(iter_jsonl(rows, "feed.jsonl", lambda where, why: skipped.append(where)))
>>> [(d.id, d.date) for d in docs], skipped
([('n1', '2019-04-02')], ['feed.jsonl:3'])
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from graphkit.ingest.decoding import normalize_text, single_line
from graphkit.model import Document

SkipHandler = Callable[[str, str], None]
OPTIONAL_FIELDS = ("id", "title", "date", "url", "source")


class _BadLine(ValueError):
    """A line that cannot become a document; the message is the skip reason."""


def _optional(row: dict[str, Any], name: str) -> str | None:
    """A metadata field as text; numbers are accepted (a bare year, a numeric id)."""
    value = row.get(name)
    if value is None:
        return None
    # Metadata is printed in one-line warnings and stored in RDF: no controls, no breaks.
    if isinstance(value, str):
        return single_line(value).strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _BadLine(f"field {name!r} must be a string, not {type(value).__name__}")


def parse_line(line: str, default_id: str) -> Document:
    """One JSONL line as a Document; raises ValueError with the reason it is unusable.

    >>> parse_line('{"text": "Talks resumed.", "title": "Update"}', "f.jsonl#4").id
    'f.jsonl#4'
    >>> parse_line('{"title": "no text"}', "f.jsonl#5")
    Traceback (most recent call last):
    ...
    graphkit.ingest.jsonl._BadLine: missing string field 'text'
    """
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _BadLine(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(row, dict):
        raise _BadLine(f"expected a JSON object, got {type(row).__name__}")
    text = row.get("text")
    if not isinstance(text, str):
        raise _BadLine("missing string field 'text'")
    fields = {name: _optional(row, name) for name in OPTIONAL_FIELDS}
    return Document(
        id=fields["id"] or default_id,
        text=normalize_text(text),
        title=fields["title"],
        date=fields["date"],
        url=fields["url"],
        source=fields["source"],
    )


def iter_jsonl(text: str, name: str, on_skip: SkipHandler) -> Iterator[Document]:
    """Documents of a JSONL file's ``text``; ``name`` prefixes ids and skip locations.

    Only ``\\n`` ends a line: JSON strings may hold U+2028 and similar separators raw.
    """
    yield from iter_jsonl_lines(enumerate(text.split("\n"), start=1), name, on_skip)


def iter_jsonl_lines(lines: Iterable[tuple[int, str]], name: str,
                     on_skip: SkipHandler) -> Iterator[Document]:
    """Documents of numbered lines, read lazily so a huge file is never held whole.

    >>> rows = [(1, '{"text": "Talks resumed."}'), (2, '{"text": "cut off')]
    >>> skipped = []
    >>> [d.id for d in iter_jsonl_lines(rows, "w.jsonl", lambda *a: skipped.append(a))]
    ['w.jsonl#1']
    >>> skipped
    [('w.jsonl:2', 'invalid JSON: Unterminated string starting at (column 10)')]
    """
    for number, line in lines:
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            doc = parse_line(line, default_id=f"{name}#{number}")
        except ValueError as exc:
            on_skip(where, str(exc))
            continue
        if not doc.text.strip():
            on_skip(where, "empty")
            continue
        yield doc
