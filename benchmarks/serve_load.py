"""Benchmark: `graphkit serve` against Oxigraph's own server, under load and under attack.

Both serve the same data (a generated build shaped like graphkit's, loaded once into
graphkit's store and once into Oxigraph's) on loopback, and each gets, in the same run:

- bursts: 200 and 1,000 clients at once, each one short query on its own connection
  (answered, timed out after 10 s, p50/p99 latency);
- steady load: 8 clients on kept-alive connections for 20 s (p50/p99, requests/s), the
  same query each time; then 10 s in which every query is new (graphkit remembers its
  parse check of recent queries, so this is its cost for a query not seen before);
- slowloris: 300 connections sending a header line a second, never a whole request; how
  many are still held after 15 s (graphkit's limit is 10 s), and a normal query meanwhile;
- the attacks of issue 15: 2,500 nested groups, a SERVICE call (to a local listener
  that records whether anyone called), Content-Length -1 and abc, HEAD, HTTP/0.9
  ``GET /``, ``Accept: image/png``; then whether the server still answers.

``--hypercorn`` adds a third column, graphkit's app under hypercorn instead of uvicorn
(the comparison behind the choice of server). A last table times result formats at
100,000 rows: graphkit's hand-written serializers over rdflib terms (what the endpoint
used before) against Oxigraph's own serializers (what it uses now), and checks that the
JSON bindings are identical.

Every request goes to 127.0.0.1; every loop is bounded in count and time.

    python benchmarks/serve_load.py               # about 3 minutes
    python benchmarks/serve_load.py --hypercorn   # about 4 minutes
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sparql_store import write_ntriples

QUERY = ("SELECT ?g ?label WHERE { ?g a <https://w3id.org/graphkit/ontology#MilitantGroup> ; "
         "<http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 10")
WAIT = 10.0  # a burst client gives up after this many seconds
HYPERCORN = """
import asyncio, sys
from hypercorn.asyncio import serve
from hypercorn.config import Config
from graphkit.serve.app import App
from graphkit.serve.endpoint import Endpoint, ServeOptions
from graphkit.serve.http import allowed_hosts

if __name__ == "__main__":
    options = ServeOptions(port=int(sys.argv[2]), workers=int(sys.argv[3]))
    endpoint = Endpoint(sys.argv[1], options)
    config = Config()
    config.bind = [f"127.0.0.1:{options.port}"]
    config.backlog = 2048
    config.keep_alive_timeout = options.read_timeout  # its idle limit covers request heads
    asyncio.run(serve(App(endpoint, allowed_hosts("127.0.0.1")), config))
"""


@dataclass
class Target:
    name: str
    port: int
    path: str  # the query path: /sparql or /query
    process: subprocess.Popen

    def url(self, query: str = QUERY) -> str:
        return f"{self.path}?query={urllib.parse.quote(query)}"

    def request(self, query: str = QUERY, close: bool = True, extra: str = "") -> bytes:
        return (f"GET {self.url(query)} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                f"Accept: application/sparql-results+json\r\n{extra}"
                + ("Connection: close\r\n" if close else "") + "\r\n").encode()

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{self.url()}",
                                        timeout=5) as response:
                return response.status == 200
        except OSError:
            return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_up(target: Target, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if target.alive():
            return
        if target.process.poll() is not None:
            raise SystemExit(f"{target.name} exited at start ({target.process.returncode})")
        time.sleep(0.2)
    raise SystemExit(f"{target.name} did not start within {seconds:.0f} s")


def start_targets(build: Path, oxi_dir: Path, workers: int, hypercorn: bool) -> list[Target]:
    log = subprocess.DEVNULL
    targets = []
    port = _free_port()
    graphkit = subprocess.Popen([sys.executable, "-m", "graphkit", "-q", "serve", str(build),
                                 "--port", str(port), "--workers", str(workers)],
                                stdout=log, stderr=log)
    targets.append(Target("graphkit", port, "/sparql", graphkit))
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = _free_port()
    oxi = subprocess.Popen([oxigraph, "serve-read-only", "--location", str(oxi_dir),
                            "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=log)
    targets.append(Target("oxigraph", port, "/query", oxi))
    if hypercorn:
        port = _free_port()
        script = build.parent / "hypercorn_graphkit.py"
        script.write_text(HYPERCORN)
        hyper = subprocess.Popen([sys.executable, str(script), str(build), str(port),
                                  str(workers)], stdout=log, stderr=log)
        targets.append(Target("graphkit/hypercorn", port, "/sparql", hyper))
    for target in targets:
        _wait_up(target)
    return targets


# --- a small HTTP/1.1 client on asyncio ----------------------------------------------

async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one response (Content-Length, chunked, or to EOF); its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif status not in (204, 304):
        await reader.read()
    return status


async def _one(port: int, request: bytes, wait: float) -> tuple[int | None, float]:
    started = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(wait):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            await writer.drain()
            status = await _read_response(reader)
        return status, time.perf_counter() - started
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError):
        return None, time.perf_counter() - started
    finally:
        if writer is not None:
            writer.close()


def _percentiles(times: list[float]) -> str:
    if not times:
        return "-"
    times = sorted(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return f"{statistics.median(times) * 1000:.0f} / {p99 * 1000:.0f} ms"


async def burst(target: Target, clients: int) -> tuple[str, str]:
    results = await asyncio.gather(*(_one(target.port, target.request(), WAIT)
                                     for _ in range(clients)))
    answered = [t for status, t in results if status == 200]
    failed = len(results) - len(answered)
    return (f"{len(answered)} ok, {failed} not", _percentiles(answered))


async def steady(target: Target, clients: int = 8, seconds: float = 20.0,
                 distinct: bool = False) -> tuple[str, str]:
    """``clients`` kept-alive connections sending the query for ``seconds``; with
    ``distinct`` each request is a query not sent before (a new OFFSET)."""
    times: list[float] = []
    errors = 0
    sent = 0
    stop = time.monotonic() + seconds

    async def client() -> None:
        nonlocal errors, sent
        reader = writer = None
        while time.monotonic() < stop:
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", target.port)
                started = time.perf_counter()
                sent += 1
                query = f"{QUERY} OFFSET {sent}" if distinct else QUERY
                writer.write(target.request(query, close=False))
                async with asyncio.timeout(WAIT):
                    status = await _read_response(reader)  # type: ignore[arg-type]
                if status == 200:
                    times.append(time.perf_counter() - started)
                else:
                    errors += 1
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    rate = len(times) / seconds
    return _percentiles(times), f"{rate:.0f}/s" + (f" ({errors} failed)" if errors else "")


async def slowloris(target: Target, connections: int = 300, hold: float = 15.0
                    ) -> tuple[str, str]:
    dropped = 0
    stop = time.monotonic() + hold

    async def loris(i: int) -> None:
        nonlocal dropped
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", target.port)
            writer.write(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{target.port}\r\n".encode())
            while time.monotonic() < stop:
                await asyncio.sleep(1.0)
                writer.write(f"X-Slow-{i}: a\r\n".encode())
                await writer.drain()
                try:
                    if await asyncio.wait_for(reader.read(1024), 0.01) == b"":
                        dropped += 1
                        break
                except TimeoutError:
                    pass
            writer.close()
        except OSError:
            dropped += 1

    held = [asyncio.create_task(loris(i)) for i in range(connections)]
    await asyncio.sleep(3.0)  # all connected and dripping
    status, seconds = await _one(target.port, target.request(), WAIT)
    meanwhile = f"{status or 'none'} in {seconds * 1000:.0f} ms"
    await asyncio.gather(*held)
    return f"{connections - dropped} of {connections}", meanwhile


# --- the attacks ---------------------------------------------------------------------

class Listener:
    """A loopback listener that records whether anything connected to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.setblocking(False)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"

    def contacted(self) -> bool:
        hit = False
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return hit
            hit = True
            conn.close()


async def _raw(port: int, data: bytes, wait: float = 5.0) -> str:
    try:
        async with asyncio.timeout(wait):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(data)
            await writer.drain()
            answer = await reader.read(200)
            writer.close()
    except TimeoutError:
        return f"no answer in {wait:.0f} s"
    except OSError as err:
        return type(err).__name__
    if not answer:
        return "closed, no answer"
    line = answer.split(b"\r\n")[0].decode("latin-1")
    return line.split(" ", 1)[1] if " " in line else line


async def attacks(target: Target, listener: Listener) -> list[tuple[str, str]]:
    host = f"Host: 127.0.0.1:{target.port}\r\n"
    deep = "SELECT * WHERE " + "{ " * 2500 + "?s ?p ?o" + " }" * 2500
    service = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    post = f"POST {target.path} HTTP/1.1\r\n{host}Content-Type: application/sparql-query\r\n"
    rows = [
        ("deep nesting (2,500 groups)", await _raw(target.port, target.request(deep))),
        ("SERVICE to a local listener", await _raw(target.port, target.request(service))),
    ]
    rows.append(("  listener contacted", "yes" if listener.contacted() else "no"))
    rows += [
        ("Content-Length: -1 (2 MB body)", await _raw(
            target.port, (post + "Content-Length: -1\r\n\r\nASK {}").encode() + b" " * 2_000_000)),
        ("Content-Length: abc", await _raw(
            target.port, (post + "Content-Length: abc\r\n\r\nASK {}").encode())),
        ("HEAD", await _raw(target.port, f"HEAD {target.url()} HTTP/1.1\r\n{host}"
                                         "Connection: close\r\n\r\n".encode())),
        ("GET /\\r\\n (HTTP/0.9)", await _raw(target.port, b"GET /\r\n")),
        ("Accept: image/png", await _raw(target.port, target.request().replace(
            b"Accept: application/sparql-results+json", b"Accept: image/png"))),
        ("still answering afterwards", "yes" if target.alive() else "NO"),
    ]
    return rows


# --- result formats ------------------------------------------------------------------

def formats_table(store_dir: Path, rows: int = 100_000) -> list[tuple[str, ...]]:
    import pyoxigraph

    from graphkit.rdf import run_query
    from graphkit.rdf.formats import format_result, results_tsv, results_xml
    from graphkit.serve.media import render

    store = pyoxigraph.Store.read_only(str(store_dir))
    query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {rows}"
    old = {"application/sparql-results+json": lambda r: format_result(r, "json"),
           "application/sparql-results+xml": results_xml,
           "text/csv": lambda r: format_result(r, "csv"),
           "text/tab-separated-values": results_tsv}
    started = time.perf_counter()
    sum(1 for _ in store.query(query))
    alone = f"{time.perf_counter() - started:.2f} s"  # the query itself, the floor of both
    table = []
    for media, write in old.items():
        started = time.perf_counter()
        before = write(run_query(store, query)).encode("utf-8")
        before_s = time.perf_counter() - started
        started = time.perf_counter()
        rendered = render(store.query(query), media, rows)
        after_s = time.perf_counter() - started
        assert rendered is not None
        same = ""
        if media.endswith("json"):
            same = ("identical bindings" if json.loads(before) == json.loads(rendered[1])
                    else "BINDINGS DIFFER")
        table.append((media, alone, f"{before_s:.2f} s", f"{after_s:.2f} s",
                      f"{before_s / after_s:.0f}x {same}".strip()))
    return table


def _print(title: str, names: list[str], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [("", *names), *rows]) for i in range(len(names) + 1)]
    print(f"\n{title}")
    print(" | ".join(str(c).ljust(w) for c, w in zip(("", *names), widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


async def measure(target: Target, listener: Listener) -> list[tuple[str, str]]:
    rows = []
    for clients in (200, 1000):
        answered, latency = await burst(target, clients)
        rows += [(f"{clients:,} at once: answered", answered),
                 (f"{clients:,} at once: p50 / p99", latency)]
        await asyncio.sleep(1.0)
    latency, rate = await steady(target)
    rows += [("c=8 for 20 s: p50 / p99", latency), ("c=8 for 20 s: requests", rate)]
    latency, rate = await steady(target, seconds=10.0, distinct=True)
    rows += [("c=8, all queries new, 10 s: p50 / p99", latency),
             ("c=8, all queries new, 10 s: requests", rate)]
    held, meanwhile = await slowloris(target)
    rows += [("slowloris 300: held after 15 s", held),
             ("slowloris 300: a query meanwhile", meanwhile)]
    rows += await attacks(target, listener)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2,
                        help="graphkit's worker processes (default: one per core here)")
    parser.add_argument("--hypercorn", action="store_true",
                        help="also run graphkit's app under hypercorn")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 8192), hard), hard))
    import pyoxigraph

    with tempfile.TemporaryDirectory(prefix="graphkit-serve-bench-") as tmp:
        root = Path(tmp)
        nt = root / "graph.nt"
        count = write_ntriples(nt, args.triples)
        build = root / "build"
        build.mkdir()
        store = pyoxigraph.Store(str(build / "store"))
        store.bulk_load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)
        store.flush()
        del store
        oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        subprocess.run([oxigraph, "load", "--location", str(root / "oxi"), "--file", str(nt)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"{count:,} triples; graphkit serve --workers {args.workers}; "
              f"oxigraph serve-read-only; {os.cpu_count()} cores")
        targets = start_targets(build, root / "oxi", args.workers, args.hypercorn)
        listener = Listener()
        try:
            columns = {}
            for target in targets:
                columns[target.name] = asyncio.run(measure(target, listener))
        finally:
            for target in targets:
                target.process.terminate()
            for target in targets:
                try:
                    target.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    target.process.kill()
        names = list(columns)
        labels = [label for label, _ in columns[names[0]]]
        rows = [(label, *(dict(columns[n]).get(label, "-") for n in names)) for label in labels]
        _print("Load and attacks (loopback)", names, rows)
        _print("Result formats at 100,000 rows, in process", [
            "query alone", "before (rdflib terms)", "now (Oxigraph's serializers)",
            "speed-up"], formats_table(build / "store"))


if __name__ == "__main__":
    main()
