"""The store behind the server: which build is current, and the rules for running on it.

Every request first asks :class:`Source` for the current store. A rebuild replaces
``store/`` by renaming a new folder into place, so the folder's identity (device, inode,
and its CURRENT file's) changes; that stat is cheap enough to make per request, and when
it changes the workers open the new store before their next task. An RDF file (or a
build with only graph.ttl) is copied once into a temporary store that the workers open
read-only, and copied again when the file changes. The operator's log names the build
served at start and again whenever it is reopened.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphkit.errors import QueryError
from graphkit.serve.describe import build_label
from graphkit.serve.guard import Refused, check_shape
from graphkit.serve.media import acceptable
from graphkit.serve.pool import WorkerPool
from graphkit.serve.worker import Task, WorkerSettings


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    allow_updates: bool = False
    timeout: float = 30.0
    max_rows: int = 100_000
    workers: int = 4
    memory_mb: int = 2048  # address-space cap of each worker process
    read_timeout: float = 10.0  # seconds a client may take to send its request
    max_connections: int = 1024  # connections held at once; more get 503
    idle_timeout: float = 5.0  # seconds a kept-alive connection may sit idle
    cors: tuple[str, ...] = ()  # origins whose pages may read answers ("*": any)


class Source:
    """The served path and the store folder that currently stands for it."""

    def __init__(self, source: Path, log: Callable[[str], None] | None = None) -> None:
        self.source = source
        self.log = log
        self.lock = threading.Lock()
        self.current: tuple[tuple[Any, ...], str] | None = None
        self.temporary: list[str] = []
        self.store()  # fail at start-up, not on the first request

    def _locate(self) -> tuple[str, Path]:
        """("store", folder) or ("file", RDF file), as graphkit.rdf.store.load_source."""
        from graphkit.rdf.store import ACCEPTED_SOURCES, GRAPH_FILE, STORE_DIR

        path = self.source
        if path.is_dir():
            if (path / STORE_DIR / "CURRENT").is_file():
                return "store", path / STORE_DIR
            if (path / GRAPH_FILE).is_file():
                return "file", path / GRAPH_FILE
            if (path / "CURRENT").is_file():
                return "store", path
            raise QueryError(f"{path} holds no store/ or {GRAPH_FILE}; "
                             f"accepted: {ACCEPTED_SOURCES}")
        if path.is_file():
            return "file", path
        raise QueryError(f"no such query source: {path}; accepted: {ACCEPTED_SOURCES}")

    def _identity(self, kind: str, path: Path) -> tuple[Any, ...]:
        info = path.stat()
        if kind == "file":
            return (kind, str(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
        current = (path / "CURRENT").stat()
        return (kind, str(path), info.st_dev, info.st_ino, current.st_ino, current.st_mtime_ns)

    def store(self) -> tuple[tuple[Any, ...], str]:
        """(identity, store folder) of the build as it is now on disk."""
        try:
            kind, path = self._locate()
            identity = self._identity(kind, path)
        except (OSError, QueryError) as err:
            if self.current is None:
                raise QueryError(str(err)) from None
            # Between the two renames of a rebuild there is briefly no store at all.
            raise Refused(503, "the build is being replaced; try again") from None
        with self.lock:
            if self.current is None or self.current[0] != identity:
                try:
                    # Resolved: a build folder's store/ is a link through .current, and
                    # the workers must open the store this identity is of, not whichever
                    # the link names by the time they open it.
                    folder = str(path.resolve()) if kind == "store" else self._copy(path)
                except QueryError as err:
                    if self.current is None:
                        raise
                    # A file caught mid-write: answer nothing rather than the old copy;
                    # the next request tries again.
                    raise Refused(503, f"the source changed and cannot be read yet: {err}") \
                        from None
                if self.log is not None:
                    self.log(("serving " if self.current is None else
                              "the build changed; now serving ") + build_label(self.source))
                self.current = (identity, folder)
            return self.current

    def _copy(self, path: Path) -> str:
        import pyoxigraph

        from graphkit.rdf.store import RDF_EXTENSIONS

        format_name = RDF_EXTENSIONS.get(path.suffix.lower())
        if format_name is None:
            raise QueryError(f"unknown RDF file type {path.suffix or path.name!r}")
        folder = tempfile.mkdtemp(prefix="graphkit-serve-")
        self.temporary.append(folder)
        store = pyoxigraph.Store(folder)
        try:
            store.bulk_load(path=str(path), format=getattr(pyoxigraph.RdfFormat, format_name))
        except (SyntaxError, ValueError, OSError) as err:
            del store
            shutil.rmtree(folder, ignore_errors=True)
            self.temporary.remove(folder)
            raise QueryError(f"cannot read {path}: {' '.join(str(err).split())}") from None
        store.flush()
        del store  # releases the lock so workers can open it
        # Keep this copy and the one before (a worker may be mid-query on it; each
        # worker moves on at its next task); older ones are unused.
        for stale in self.temporary[:-2]:
            shutil.rmtree(stale, ignore_errors=True)
        del self.temporary[:-2]
        return folder

    def close(self) -> None:
        for folder in self.temporary:
            shutil.rmtree(folder, ignore_errors=True)


class Endpoint:
    """The rules for running requests, and the worker processes that run them."""

    def __init__(self, source: str | Path, options: ServeOptions,
                 log: Callable[[str], None] | None = None) -> None:
        self.source = Path(source)
        self.options = options
        self.store = Source(self.source, log)
        # Updates need the one writable handle RocksDB allows, so then one worker.
        self.pool_size = 1 if options.allow_updates else options.workers
        self.pool = WorkerPool(self.pool_size, WorkerSettings(
            options.max_rows, options.memory_mb, options.allow_updates))

    @property
    def isolated(self) -> bool:
        """Whether the workers run without network access (a kernel namespace)."""
        return self.pool.isolated

    def html(self) -> bytes:
        view = self.source / "graph.html" if self.source.is_dir() else None
        if view is not None and view.is_file():
            return view.read_bytes()
        return (b"<!doctype html><meta charset='utf-8'><title>graphkit</title>"
                b"<p>SPARQL endpoint at <a href='/sparql'>/sparql</a>.</p>")

    def query(self, text: str, accept: str = "", timeout: float | None = None
              ) -> tuple[str, bytes]:
        """(content type, body) of the answer, within ``timeout`` seconds (default
        ``options.timeout``); raises Refused."""
        check_shape(text)
        if not acceptable(accept):
            raise Refused(406, "none of the Accept header's media types is a SPARQL "
                               "result or RDF format")
        _status, content_type, body = self._run("query", text, accept, timeout)
        return content_type, body

    def update(self, text: str, timeout: float | None = None) -> None:
        if not self.options.allow_updates:
            raise Refused(403, "updates are disabled; the operator must start the server "
                               "with --allow-updates")
        check_shape(text, update=True)
        self._run("update", text, "", timeout)

    def _run(self, kind: str, text: str, accept: str, timeout: float | None
             ) -> tuple[int, str, bytes]:
        identity, folder = self.store.store()
        return self.pool.run(Task(kind, text, accept, folder, identity),
                             self.options.timeout if timeout is None else timeout)

    def close(self) -> None:
        self.pool.close()
        self.store.close()

