"""Atomic file writing: a reader never sees a half-written output.

An output is written to a hidden temporary file beside it (``.<name>.<random>.tmp``),
flushed to disk and renamed over the old file, so an interrupted run (Ctrl-C, ``kill``,
a full disk) leaves the previous output intact. A killed process cannot delete its
temporary file; :func:`remove_stale_temporaries` does, once the folder is locked.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from graphkit.errors import OutputError

# The names mkstemp gives atomic_write's temporary files: ".<name>.<8 random>.tmp".
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
# Errors raised while writing that mean the output cannot be written (not a bug).
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO})


class OutputWriteError(OutputError, OSError):
    """An output could not be written; its message is one line naming the file.

    It is an :class:`OSError` too (``strerror`` is the system's reason), so callers that
    wrap ``OSError`` in their own message keep working.

    >>> str(OutputWriteError(28, "No space left on device", "out/graph.ttl"))
    'cannot write out/graph.ttl: No space left on device'
    """

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


def _write_error(exc: OSError, path: Path) -> OutputWriteError:
    return OutputWriteError(exc.errno or errno.EIO, exc.strerror or str(exc), str(path))


@contextmanager
def atomic_write(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and rename it into place on success.

    On any exception the temporary file is removed and ``path`` is left as it was.
    A failure of the file system (no space, read-only, I/O error) is raised as
    :class:`OutputWriteError`, which names the file in one line.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as fh:
    ...     _ = fh.write("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _write_error(exc, path) from exc
    # mkstemp creates 0600 files; outputs are ordinary files, readable as the umask allows.
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OutputError) or exc.errno not in _WRITE_ERRNOS:
            raise
        raise _write_error(exc, path) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Flush the rename itself to disk, where the platform allows it (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename still happened
    finally:
        os.close(fd)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files :func:`atomic_write` left in ``folder`` when killed.

    Only call this while no other process writes the folder (see
    :class:`graphkit.lock.BuildLock`). Returns what was removed.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / ".graph.ttl.k3j_x9a2.tmp").write_text("half")
    >>> _ = (folder / "graph.ttl").write_text("whole")
    >>> [p.name for p in remove_stale_temporaries(folder)], sorted(os.listdir(folder))
    (['.graph.ttl.k3j_x9a2.tmp'], ['graph.ttl'])
    """
    removed: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for entry in entries:
        if _TEMPORARY.match(entry.name) and entry.is_file() and not entry.is_symlink():
            try:
                entry.unlink()
            except OSError:
                continue
            removed.append(entry)
    return removed
