"""The process that runs queries: one request's crash, overrun or memory use ends here.

The server sends a worker one task at a time over a pipe and kills it when the task
outlives its deadline, so nothing a query does (a parser stack overflow, a Rust panic, a
runaway join) can take the server down or keep a core busy. Each worker, before it
opens anything:

* leaves the network: it moves into a new, empty network namespace when the kernel
  lets it (Oxigraph has no switch to turn its HTTP client off), so even a SERVICE or
  LOAD that got past the parse check cannot reach any address, loopback included;
* caps its address space (RLIMIT_AS), so a huge result fails here, not in the server;
* runs tasks on a thread with a large stack, so the checks and the engine can recurse
  as deep as the depth limit allows.

Replies travel as bytes, never as pickles, so that even a worker whose engine was
subverted cannot run code in the server: a JSON header line (``{"status": 200,
"type": "..."}`` or ``{"status": 4xx/5xx, "message": "..."}``) and then the body.
"""

from __future__ import annotations

import ctypes
import functools
import json
import resource
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from graphkit.serve.guard import Refused, refused_operation

_CLONE_NEWNET, _CLONE_NEWUSER = 0x40000000, 0x10000000
_STACK = 256 * 1024 * 1024
_CACHED_CHARS = 10_000  # queries up to this long have their parse check remembered


@functools.lru_cache(maxsize=512)
def _checked(text: str, update: bool) -> str | None:
    """refused_operation, remembered: endpoints see the same queries again and again
    (dashboards, saved queries), and rdflib's parse is most of a small query's cost."""
    return refused_operation(text, update=update)


@dataclass(frozen=True)
class WorkerSettings:
    max_rows: int
    memory_mb: int
    writable: bool


@dataclass(frozen=True)
class Task:
    kind: str  # "query" or "update"
    text: str
    accept: str
    store_path: str
    store_id: tuple[Any, ...]


def isolate_network() -> bool:
    """Move this (single-threaded) process into a new network namespace, which has no
    interface but a loopback that is down; True when that worked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    # As root CLONE_NEWNET alone works; unprivileged, a user namespace grants it.
    return any(libc.unshare(flags) == 0
               for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET))


def limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(conn: Connection, settings: WorkerSettings) -> None:
    """Entry point of a worker process (started by :class:`graphkit.serve.pool.WorkerPool`)."""
    isolated = isolate_network()
    limit_memory(settings.memory_mb)
    sys.setrecursionlimit(100_000)
    threading.stack_size(_STACK)
    conn.send_bytes(encode({"ready": True, "isolated": isolated}))
    runner = threading.Thread(target=_loop, args=(conn, settings), daemon=True)
    runner.start()
    runner.join()


def _loop(conn: Connection, settings: WorkerSettings) -> None:
    opened: tuple[tuple[Any, ...], Any] | None = None
    while True:
        try:
            task: Task = conn.recv()
        except (EOFError, OSError):
            return  # the server has gone
        try:
            if opened is None or opened[0] != task.store_id:
                opened = None  # close the old store before opening its successor
                opened = (task.store_id, _open(task.store_path, settings.writable))
            status, content_type, body = _handle(opened[1], task, settings)
            reply = encode({"status": status, "type": content_type}, body)
        except Refused as err:
            reply = encode({"status": err.status, "message": str(err)})
        except MemoryError:
            reply = encode({"status": 503, "message": "the query needs more memory than the "
                                                      "endpoint allows"})
        except Exception as err:  # noqa: BLE001 - any failure is one request's 500
            reply = encode({"status": 500, "message": "query failed: "
                            + (" ".join(str(err).split()) or type(err).__name__)})
        conn.send_bytes(reply)


def encode(header: dict[str, Any], body: bytes = b"") -> bytes:
    return json.dumps(header).encode("utf-8") + b"\n" + body


def decode(reply: bytes) -> tuple[dict[str, Any], bytes]:
    """The header and body of a worker's reply; ValueError if it is not one."""
    line, _, body = reply.partition(b"\n")
    header = json.loads(line)
    if not isinstance(header, dict) or not isinstance(header.get("status", 0), int):
        raise ValueError("not a worker reply")
    return header, body


def _open(path: str, writable: bool) -> Any:
    import pyoxigraph

    try:
        return pyoxigraph.Store(path) if writable else pyoxigraph.Store.read_only(path)
    except OSError as err:
        raise Refused(503, f"cannot open the store: {' '.join(str(err).split())}") from None


def _handle(store: Any, task: Task, settings: WorkerSettings) -> tuple[int, str, bytes]:
    from graphkit.rdf.terms import PREFIXES
    from graphkit.serve.media import render

    update = task.kind == "update"
    operation = (_checked(task.text, update) if len(task.text) <= _CACHED_CHARS
                 else refused_operation(task.text, update=update))
    if operation:
        raise Refused(403, f"{operation} is not allowed on this endpoint")
    try:
        if update:
            store.update(task.text, prefixes=dict(PREFIXES))
            return 204, "text/plain", b""
        answer = store.query(task.text, prefixes=dict(PREFIXES),
                             use_default_graph_as_union=True)
        rendered = render(answer, task.accept, settings.max_rows, dict(PREFIXES))
    except SyntaxError as err:
        raise Refused(400, f"SPARQL syntax error: {' '.join(str(err).split())}") from None
    if rendered is None:
        raise Refused(406, "none of the Accept header's media types can carry this result")
    return 200, rendered[0], rendered[1]
