"""One writer per build folder: an exclusive lock held for the whole build.

Two builds writing one folder at the same time would interleave their outputs and race
to rename the store; the second one is refused with a clear message instead. The lock is
an ``flock`` on ``.graphkit.lock`` inside the folder, so the operating system releases it
when the holder exits, however it exits (even ``kill -9``): a stale lock never blocks.
Readers (``graphkit query``) take no lock; every output is replaced by an atomic rename.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "build"
>>> with BuildLock(out):
...     with BuildLock(out):  # doctest: +ELLIPSIS
...         pass
Traceback (most recent call last):
...
graphkit.errors.OutputError: build folder ... is in use by another graphkit process
>>> with BuildLock(out) as lock:  # released on exit, so it can be taken again
...     lock.path.name
'.graphkit.lock'
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from types import TracebackType

from graphkit.errors import OutputError
from graphkit.fileio import remove_stale_temporaries

LOCK_FILE = ".graphkit.lock"
# File systems that cannot lock at all (some network mounts) say so with these; a build
# there goes ahead unlocked rather than not at all.
_NO_LOCKING = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS})


class BuildLock:
    """Context manager: ``with BuildLock(out_dir): ...`` writes the folder exclusively.

    Entering creates the folder if needed, takes the lock without waiting (raising
    :class:`~graphkit.errors.OutputError` when another process holds it) and removes
    temporary files an interrupted earlier build left behind. Leaving releases the lock;
    the lock file itself stays, since deleting it would let two processes lock two
    different files of the same name.
    """

    def __init__(self, out_dir: Path | str) -> None:
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / LOCK_FILE
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(
                f"cannot lock build folder {self.out_dir}: {exc.strerror or exc}") from None
        try:
            locked = _try_lock(fd)
        except OSError as exc:
            os.close(fd)
            raise OutputError(
                f"cannot lock build folder {self.out_dir}: {exc.strerror or exc}") from None
        if not locked:
            os.close(fd)
            raise OutputError(f"build folder {self.out_dir} is in use by another graphkit process")
        self._fd = fd
        _record_holder(fd)
        remove_stale_temporaries(self.out_dir)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None


def _try_lock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; False when someone holds it."""
    try:
        import fcntl
    except ImportError:  # no flock on this platform: nothing to lock with
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in _NO_LOCKING:
            return True
        raise
    return True


def _record_holder(fd: int) -> None:
    """Write the holder's process id into the lock file, for a person investigating."""
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    except OSError:
        pass  # informative only
