"""The input stage: files and folders in, :class:`graphkit.model.Document` objects out.

Accepted formats are ``.txt``, ``.md``/``.markdown`` (CommonMark, read as its HTML is
read), ``.html``/``.htm`` (the article of a page with navigation and asides, else all
visible text; ``<title>`` as the title) and ``.jsonl`` (one document per line).
Folders are walked recursively in sorted order, hidden entries skipped. A file named
directly with any other extension is read as plain text when it decodes as text; inside
a folder such a file is reported as unsupported instead. Everything skipped is reported
through ``on_skip(where, reason)``; only missing inputs are errors. Text is normalised
(:func:`normalize_text`) so no control character or lone surrogate reaches any output, and
ids and titles are single lines. JSONL files are read line by line, never held whole.

>>> import pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "b.md").write_text("## Talks\\nThe *envoys* met.")
>>> _ = (root / "a.txt").write_text("Group A denied the claim.")
>>> _ = (root / "c.txt").write_bytes(b"%PDF-1.4")
>>> _ = (root / "d.csv").write_text("x,y")
>>> skipped = []
>>> docs = list(iter_documents([root], on_skip=lambda where, why: skipped.append(why)))
>>> [d.text for d in docs]
['Group A denied the claim.', 'Talks\\n\\nThe envoys met.']
>>> skipped
['binary file (PDF)', 'unsupported file type .csv']
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO

from graphkit.errors import InputError, InputWarning, OutputError
from graphkit.ingest.article import html_to_text
from graphkit.ingest.decoding import (
    SNIFF_BYTES,
    Decoded,
    binary_kind,
    declared_html_charset,
    decode,
    decode_bytes,
    single_line,
    wide_encoding,
)
from graphkit.ingest.decoding import normalize_text as normalize_text
from graphkit.ingest.jsonl import SkipHandler, iter_jsonl, iter_jsonl_lines
from graphkit.ingest.markdown import markdown_to_text
from graphkit.model import Document

__all__ = ["SUFFIXES", "SkipHandler", "check_inputs", "check_output_dir", "estimate_documents",
           "iter_documents", "normalize_text"]

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"})


def _ignore(where: str, reason: str) -> None:
    """Default skip handler: skipped inputs are simply not read."""


def _display(path: Path | str) -> str:
    """The id form of a path: forward slashes, one printable line, valid Unicode.

    Undecodable bytes in a file name (lone surrogates in Python) become U+FFFD.

    >>> _display(Path("in/bad\\udcff\\nname.txt"))
    'in/bad\\ufffd name.txt'
    """
    return single_line(path.as_posix() if isinstance(path, Path) else path)


def _walk(folder: Path, label: str, seen_dirs: set[Path],
          on_skip: SkipHandler) -> Iterator[tuple[Path, str, bool]]:
    """``(path, id, explicit=False)`` for every non-hidden entry under ``folder``, sorted.

    Symbolic links to folders are followed once; a link back up the tree is not. A
    folder that cannot be listed, or listed but not searched (no ``x`` permission, so
    its entries cannot be looked at), is one skip.
    """
    real = _resolved(folder)
    if real is None or real in seen_dirs:
        return
    seen_dirs.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        on_skip(label, f"cannot list folder: {exc.strerror or exc}")
        return
    try:
        kinds = [(entry, entry.is_dir()) for entry in entries if not entry.name.startswith(".")]
    except OSError as exc:
        on_skip(label, f"cannot search folder: {exc.strerror or exc}")
        return
    for entry, is_dir in kinds:
        # A folder given as "." should not prefix every id with "./".
        name = _display(entry.name) if label == "." else f"{label}/{_display(entry.name)}"
        if is_dir:
            yield from _walk(entry, name, seen_dirs, on_skip)
        else:
            yield entry, name, False


def _resolved(path: Path) -> Path | None:
    """The real path, or None for a symbolic link loop (or a path that cannot be looked up)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: "Symlink loop from ..."
        return None


def _sources(paths: Sequence[Path], on_skip: SkipHandler) -> Iterator[tuple[Path, str, bool]]:
    """Each input file, with its document id and whether the user named it."""
    seen_dirs: set[Path] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, _display(path), seen_dirs, on_skip)
        else:
            yield path, _display(path), True


def _is_readable_kind(path: Path, name: str, on_skip: SkipHandler) -> bool:
    """False, after reporting why, for a path that vanished or is not a regular file."""
    if not path.exists():
        on_skip(name, "no longer exists (removed, or a broken link)")
        return False
    if not path.is_file():
        on_skip(name, "not a regular file")
        return False
    return True


def _read_text(path: Path, name: str, on_skip: SkipHandler) -> str | None:
    """The decoded, normalised contents of one file, or None after reporting a skip."""
    if not _is_readable_kind(path, name, on_skip):
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        on_skip(name, f"cannot read file: {exc.strerror or exc}")
        return None
    kind = binary_kind(data)
    if kind is not None:
        on_skip(name, f"binary file ({kind})")
        return None
    declared = declared_html_charset(data) if path.suffix.lower() in {".html", ".htm"} else None
    decoded = decode(data, declared)
    del data  # a huge file should not be held twice while it is normalised
    _warn_replaced(name, decoded)
    return normalize_text(decoded.text)


def _warn_replaced(where: str, decoded: Decoded, offset: int = 0) -> None:
    """One warning for a text read as UTF-8 with invalid bytes replaced, naming where
    (``offset`` is where the decoded bytes start in their file)."""
    if not decoded.replaced or decoded.first_bad is None:
        return
    more = f" ({decoded.replaced} places)" if decoded.replaced > 1 else ""
    warnings.warn(InputWarning(
        f"{where}: invalid UTF-8 at byte {offset + decoded.first_bad} replaced with "
        f"U+FFFD{more}"), stacklevel=2)


def _lines(fh: IO[bytes], name: str) -> Iterator[tuple[int, str]]:
    """Numbered decoded lines of a byte stream that is not UTF-16/32.

    Each line is UTF-8 if it decodes so, else decoded on its own (:func:`decode`: UTF-8
    with a few bad bytes replaced and reported, or detection, then cp1252).
    """
    offset = 0
    for number, raw in enumerate(fh, start=1):
        start, offset = offset, offset + len(raw)
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw, start = raw[3:], 3
        raw = raw.rstrip(b"\n")
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError:
            decoded = decode(raw)
            _warn_replaced(f"{name}:{number}", decoded, start)
            yield number, decoded.text


def _jsonl_documents(path: Path, name: str, on_skip: SkipHandler) -> Iterator[Document]:
    """Documents of a JSONL file, streamed line by line."""
    if not _is_readable_kind(path, name, on_skip):
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
            kind = binary_kind(head)
            if kind is not None:
                on_skip(name, f"binary file ({kind})")
                return
            fh.seek(0)
            if wide_encoding(head) is None:
                docs = iter_jsonl_lines(_lines(fh, name), name, on_skip)
            else:  # UTF-16/32: a line end is not one byte, so decode the file whole
                docs = iter_jsonl(normalize_text(decode_bytes(fh.read())), name, on_skip)
            yield from _with_origin(docs, name, path.resolve().as_posix())
    except OSError as exc:
        on_skip(name, f"cannot read file: {exc.strerror or exc}")


def _with_origin(docs: Iterable[Document], name: str, real: str) -> Iterator[Document]:
    """JSONL documents with the origin of their line: ``name#N`` ids (no id of their own)
    become ``REAL#N``; a document's own id is its identity already."""
    prefix = name + "#"
    for doc in docs:
        line = doc.id[len(prefix):] if doc.id.startswith(prefix) else ""
        yield replace(doc, origin=f"{real}#{line}") if line.isdigit() else doc


def _file_documents(path: Path, name: str, explicit: bool,
                    on_skip: SkipHandler) -> Iterator[Document]:
    """The documents of one file (several for JSONL, otherwise at most one)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES and not explicit:
        on_skip(name, f"unsupported file type {suffix}" if suffix
                else "unsupported file type (no extension)")
        return
    if suffix == ".jsonl":
        yield from _jsonl_documents(path, name, on_skip)
        return
    text = _read_text(path, name, on_skip)
    if text is None:
        return
    title = None
    if suffix in {".html", ".htm"}:
        title, text = html_to_text(text)
        title = single_line(title) if title else None
    elif suffix in {".md", ".markdown"}:
        text = markdown_to_text(text)
    text = normalize_text(text)
    if not text.strip():
        on_skip(name, "empty")
        return
    yield Document(id=name, text=text, title=title, origin=path.resolve().as_posix())


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _documents(paths: Sequence[Path], on_skip: SkipHandler,
               own_outputs: frozenset[tuple[int, int]],
               skip_under: tuple[Path, ...] = ()) -> Iterator[Document]:
    """Documents of validated inputs; a file or document id met twice is read once."""
    seen_files: set[Path] = set()
    seen_ids: set[str] = set()
    for path, name, explicit in _sources(paths, on_skip):
        if own_outputs and _file_key(path) in own_outputs:
            continue  # "graphkit extract DIR > DIR/pred.jsonl": never read our own output
        real = _resolved(path)
        if real is None:
            on_skip(name, "a symbolic link loop")
            continue
        if any(real.is_relative_to(folder) for folder in skip_under):
            continue  # "graphkit build . --out out": the build's own files are no input
        if real in seen_files:
            on_skip(name, "already read")
            continue
        seen_files.add(real)
        for doc in _file_documents(path, name, explicit, on_skip):
            if doc.id in seen_ids:
                on_skip(doc.id, "duplicate document id")
                continue
            seen_ids.add(doc.id)
            yield doc


def check_inputs(paths: Sequence[str | Path] | str | Path) -> list[Path]:
    """The input paths, each checked to exist; InputError names the first that does not.

    >>> check_inputs([])
    Traceback (most recent call last):
    ...
    graphkit.errors.InputError: no input files or folders given
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    if not items:
        raise InputError("no input files or folders given")
    resolved = [Path(item) for item in items]
    for original, path in zip(items, resolved, strict=True):
        try:
            found = path.exists()
        except OSError as exc:
            raise InputError(f"cannot access {original}: {exc.strerror or exc}") from None
        if not found:
            raise InputError(f"no such file or folder: {original}")
    return resolved


def iter_documents(paths: Sequence[str | Path], *,
                   on_skip: SkipHandler | None = None,
                   own_outputs: Sequence[int] = (),
                   skip_under: Sequence[str | Path] = ()) -> Iterator[Document]:
    """Documents from files and folders, in a deterministic order.

    Files open as ``own_outputs`` (descriptors such as the caller's stdout) are never
    read, so ``graphkit extract DIR > DIR/out.jsonl`` does not read its own output; nor
    is anything in the folders ``skip_under`` (a build's output folder).

    Every path is checked before anything is read, so a typo fails fast with
    :class:`~graphkit.errors.InputError`. Document ids are the path as given, joined
    with the file's path inside a folder (``seeds/a.txt``); a JSONL line's id is its
    ``id`` field, else ``<file>#<line>``.

    >>> iter_documents(["no/such/place.txt"])
    Traceback (most recent call last):
    ...
    graphkit.errors.InputError: no such file or folder: no/such/place.txt
    """
    resolved = check_inputs(paths)
    keys = frozenset(key for fd in own_outputs if (key := _fd_key(fd)) is not None)
    return _documents(resolved, _ignore if on_skip is None else on_skip, keys,
                      tuple(Path(p).resolve() for p in skip_under))


def _fd_key(fd: int) -> tuple[int, int] | None:
    """The file behind an open descriptor (stdout, stderr) when it is a regular file."""
    import stat

    try:
        info = os.fstat(fd)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def check_output_dir(path: Path) -> None:
    """Fail early, with one line, when ``path`` cannot become the output folder.

    Nothing is created: a missing folder passes when its nearest existing ancestor is
    a writable folder.

    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_dir(base / "out" / "run1")
    >>> _ = (base / "taken").write_text("")
    >>> check_output_dir(base / "taken")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphkit.errors.OutputError: output path is a file, not a folder: ...
    """
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise OutputError(f"output path is a file, not a folder: {path}")
        if not os.access(path, os.W_OK | os.X_OK):
            raise OutputError(f"output folder is not writable: {path}")
        return
    ancestor = path.absolute().parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"cannot create output folder {path}: {ancestor} is not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"cannot create output folder {path}: {ancestor} is not writable")


def estimate_documents(paths: Sequence[str | Path]) -> int:
    """How many documents the inputs hold, counted cheaply for a progress bar.

    A JSONL file counts its non-blank lines; any other file counts one.
    """
    total = 0
    for path, _name, _explicit in _sources([Path(p) for p in paths], _ignore):
        if path.suffix.lower() == ".jsonl":
            try:
                with path.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total
