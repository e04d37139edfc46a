"""A fixed number of worker processes, each killed and replaced when its task overruns
or it dies; requests wait (up to their deadline) for a free one."""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from graphkit.serve.guard import Refused
from graphkit.serve.worker import Task, WorkerSettings, decode, main

MAX_REPLY = 1 << 30  # a reply larger than this (1 GB) is treated as a dead worker
# Workers fork from a small single-threaded server process that has already imported
# the engine: cheap to start (a replacement is ready in well under a second) and never
# forked from the threaded HTTP server, whose locks a child could inherit held.
_PRELOAD = ["graphkit.serve.worker", "graphkit.serve.media", "pyoxigraph",
            "rdflib.plugins.sparql.parser"]


class _Worker:
    def __init__(self, context: Any, settings: WorkerSettings) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=main, args=(child, settings), daemon=True)
        self.process.start()
        child.close()
        self.isolated: bool | None = None

    def wait_ready(self, timeout: float) -> bool:
        """Read the worker's greeting (whether it left the network)."""
        if self.conn.poll(timeout):
            try:
                header, _ = decode(self.conn.recv_bytes(4096))
                self.isolated = header.get("isolated") is True
                return True
            except (EOFError, OSError, ValueError):
                return False
        return False

    def kill(self) -> None:
        self.process.kill()
        self.conn.close()
        # Reap it off the request thread: join() blocks until the kernel is done.
        threading.Thread(target=self.process.join, daemon=True).start()


class WorkerPool:
    def __init__(self, size: int, settings: WorkerSettings) -> None:
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(_PRELOAD)
        self.settings = settings
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.closed = False
        self.started = 0
        self.lock = threading.Lock()
        self.workers: set[_Worker] = set()
        first = [self._spawn() for _ in range(max(1, size))]
        for worker in first:
            worker.wait_ready(30)
            self.idle.put(worker)
        self.isolated = all(w.isolated for w in first)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.context, self.settings)
        with self.lock:
            self.workers.add(worker)
            self.started += 1
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self.lock:
            self.workers.discard(worker)
        if self.closed:
            return

        def start() -> None:
            # Retry (with a growing pause) rather than let the pool shrink for good when
            # the system is briefly out of processes or memory.
            pause = 0.1
            while not self.closed:
                try:
                    fresh = self._spawn()
                except OSError:
                    time.sleep(pause)
                    pause = min(pause * 2, 5.0)
                    continue
                fresh.wait_ready(30)
                self.idle.put(fresh)
                return

        threading.Thread(target=start, daemon=True).start()

    def run(self, task: Task, timeout: float) -> tuple[int, str, bytes]:
        """(status, content type, body) of the worker's answer to ``task``; raises
        Refused with the worker's refusal, Refused(503) past ``timeout`` seconds (the
        worker is killed), Refused(500) when the worker died on it."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                worker = self.idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise Refused(503, f"every worker is busy; gave up after {timeout:g} s") \
                    from None
            if worker.process.is_alive():
                break
            self._replace(worker)  # died while idle (e.g. the OOM killer)
        conn: Connection = worker.conn
        try:
            conn.send(task)
            if not conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise Refused(503, f"query timed out after {timeout:g} s")
            header, body = decode(conn.recv_bytes(MAX_REPLY))
        except (EOFError, OSError, ValueError):
            self._replace(worker)
            raise Refused(500, "the query crashed its worker process (too deep, too big or "
                               "out of memory); nothing else was affected") from None
        self.idle.put(worker)
        if "message" in header:
            raise Refused(header["status"], str(header["message"]))
        return header["status"], str(header.get("type", "text/plain")), body

    def pids(self) -> list[int]:
        with self.lock:
            return [w.process.pid for w in self.workers if w.process.pid is not None]

    def close(self) -> None:
        self.closed = True
        with self.lock:
            workers = list(self.workers)
            self.workers.clear()
        for worker in workers:
            worker.kill()
