"""The SPARQL endpoint (graphkit serve) with a standard client, and a real remote store."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.build import build
from graphkit.cli import main
from graphkit.rdf import run_query
from graphkit.serve import ServeOptions, make_server

from .corpus_kit import DELTA, assert_valid, write_corpus
from .serve_kit import (
    ASK_VALUE,
    get_status,
    post_query,
    raw_request,
    send_raw,
    served_values,
    serving,
    start_server,
    tiny_graph,
)

SELECT = "SELECT ?label WHERE { ent:red-delta-army skos:prefLabel ?label }"


@pytest.fixture(scope="module")
def built(tmp_path_factory, settings, extractor) -> Path:
    root = tmp_path_factory.mktemp("served")
    out = root / "out"
    build([write_corpus(root / "docs", "abc")], out, settings, extractor=extractor)
    assert_valid(out)
    return out


@pytest.fixture(scope="module")
def endpoint(built):
    server, base = start_server(built, timeout=5.0, max_rows=50)
    yield base
    server.shutdown()
    server.server_close()


def _client(base: str, query: str, fmt: str):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query()


def test_sparqlwrapper_select_as_json(endpoint):
    from SPARQLWrapper import JSON

    answer = _client(endpoint, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                     "PREFIX ent: <https://w3id.org/graphkit/entity/>\n" + SELECT, JSON).convert()
    assert [b["label"]["value"] for b in answer["results"]["bindings"]] == ["Red Delta Army"]


@pytest.mark.parametrize("fmt, media, marker", [
    ("xml", "application/sparql-results+xml", "<literal>Red Delta Army</literal>"),
    ("csv", "text/csv", "label\r\nRed Delta Army"),
    ("tsv", "text/tab-separated-values", '?label\n"Red Delta Army"'),
])
def test_content_negotiation_for_select(endpoint, fmt, media, marker):
    response = _client(endpoint, SELECT, fmt).response
    assert response.headers.get_content_type() == media
    assert marker in response.read().decode("utf-8")


def test_construct_comes_back_as_turtle_and_ask_as_boolean(endpoint):
    from SPARQLWrapper import JSON, TURTLE

    graph_text = _client(endpoint, "CONSTRUCT { ?a gk:alliedWith ?b } WHERE "
                         "{ ?a gk:alliedWith ?b }", TURTLE).convert()
    assert b"alliedWith" in graph_text
    assert _client(endpoint, "ASK { ?a gk:rivalOf ?b }", JSON).convert()["boolean"] is True


def test_get_and_post_queries_and_no_cors(endpoint):
    url = endpoint + "/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")
    with urllib.request.urlopen(url) as response:
        assert b"true" in response.read()
        assert response.headers.get("Access-Control-Allow-Origin") is None
    post = urllib.request.Request(endpoint + "/sparql", data=b"ASK { ?s ?p ?o }",
                                  headers={"Content-Type": "application/sparql-query",
                                           "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(post) as response:
        assert json.loads(response.read()) == {"head": {}, "boolean": True}


def test_updates_are_refused_by_default(endpoint):
    from SPARQLWrapper import POST, SPARQLWrapper

    client = SPARQLWrapper(endpoint + "/sparql")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(Exception, match="403|Forbidden|--allow-updates"):
        client.query()
    request = urllib.request.Request(endpoint + "/sparql", data=b"DROP ALL", headers={
        "Content-Type": "application/sparql-update"})
    status, text = get_status(request)
    assert status == 403 and "--allow-updates" in text
    assert run_query_count(endpoint) > 0


def run_query_count(base: str) -> int:
    result = run_query(base + "/sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(result.rows[0][0])


def test_service_load_syntax_and_size_are_refused(endpoint):
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, text = get_status(endpoint + "/sparql?query=" + urllib.parse.quote(service))
    assert status == 403 and "SERVICE" in text
    status, text = get_status(endpoint + "/sparql?query=" + urllib.parse.quote("SELECT WHERE"))
    assert status == 400 and "syntax" in text
    status, text = get_status(endpoint + "/sparql?query=" + urllib.parse.quote(
        "SELECT * WHERE { ?s ?p ?o }"))
    assert status == 400 and "more than 50 rows" in text
    status, _ = get_status(endpoint + "/nowhere")
    assert status == 404


def test_slow_query_times_out(built):
    with serving(built, timeout=0.3) as (server, base):
        heavy = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        started = time.monotonic()
        status, text = get_status(base + "/sparql?query=" + urllib.parse.quote(heavy))
        assert status == 503 and "timed out" in text
        assert time.monotonic() - started < 5


def test_allow_updates_accepts_insert_but_never_load(built):
    server, base = start_server(built / "graph.ttl", allow_updates=True)  # an in-memory copy
    try:
        insert = urllib.request.Request(base + "/sparql", data=urllib.parse.urlencode(
            {"update": "INSERT DATA { <urn:x> <urn:y> 'z' }"}).encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        assert get_status(insert)[0] == 204
        assert run_query(base + "/sparql", "ASK { <urn:x> <urn:y> 'z' }").boolean is True
        load = urllib.request.Request(base + "/sparql", data=b"LOAD <http://127.0.0.1:9/x>",
                                      headers={"Content-Type": "application/sparql-update"})
        assert get_status(load)[0] == 403
    finally:
        server.shutdown()
        server.server_close()


def test_html_view_at_root(endpoint):
    status, text = get_status(endpoint + "/")
    assert status == 200 and "<html" in text.lower()


# --- a real SPARQL server as the store ------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.skip("the oxigraph server (dev dependency `oxigraph`) is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path_factory.mktemp("oxi")), "--bind",
         f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("the oxigraph server did not start")
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.parametrize("write_path", ["/store", "/update"])
def test_build_into_a_remote_store_and_query_it(oxigraph_server, built, tmp_path, settings,
                                                extractor, write_path):
    out = tmp_path / "out"
    summary = build([write_corpus(tmp_path / "docs", "abc")], out, settings,
                    extractor=extractor, store_url=oxigraph_server + write_path)
    assert "store" not in summary.outputs and not (out / "store").exists()
    query_url = oxigraph_server + "/query"
    local = run_query(built, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o")
    remote = run_query(query_url, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o")
    assert remote.rows == local.rows
    result = CliRunner().invoke(main, ["query", query_url, "allies-of", "--param",
                                       "group=Free Coast Brigades", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert DELTA in result.output
    contradictions = CliRunner().invoke(main, ["contradictions", query_url])
    assert "allied-and-rival" in contradictions.output
    graph = run_query(query_url, "CONSTRUCT { ?s gk:alliedWith ?o } WHERE { ?s gk:alliedWith ?o }")
    assert graph.kind == "graph" and len(graph.graph) >= 1


class _CuttingProxy:
    """A loopback TCP proxy to ``upstream`` that passes the first ``passes`` connections
    (one HTTP request each) and cuts every later one halfway through its request, as a
    killed client or a dropped network would."""

    def __init__(self, upstream: str, passes: int) -> None:
        host, port = upstream.removeprefix("http://").split(":")
        self.upstream = (host, int(port))
        self.passes = passes
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            if self.connections > self.passes:
                with conn:
                    conn.recv(1000)  # the request has started; the connection dies
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    b"\x01\x00\x00\x00\x00\x00\x00\x00")
                continue
            with conn, socket.create_connection(self.upstream) as up:
                self._pipe(conn, up)

    @staticmethod
    def _pipe(client: socket.socket, server: socket.socket) -> None:
        def forward(src: socket.socket, dst: socket.socket) -> None:
            with contextlib.suppress(OSError):
                while data := src.recv(65536):
                    dst.sendall(data)
                dst.shutdown(socket.SHUT_WR)

        there = threading.Thread(target=forward, args=(client, server))
        there.start()
        forward(server, client)
        there.join()

    def close(self) -> None:
        self.sock.close()


def test_an_update_transfer_cut_halfway_leaves_the_old_default_graph_intact(
        oxigraph_server):
    from rdflib import Graph, Literal, URIRef

    from graphkit.errors import OutputError
    from graphkit.rdf.remote import INSERT_CHUNK, push_graph

    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    old = Graph()
    for i in range(3):
        old.add((URIRef(f"https://example.org/old/{i}"), URIRef("https://example.org/p"),
                 Literal(i)))
    push_graph(oxigraph_server + "/update", old)
    before = run_query(oxigraph_server + "/query", "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s")
    assert len(before.rows) == 3
    new = Graph()
    for i in range(3 * INSERT_CHUNK):  # three chunks of INSERT DATA
        new.add((URIRef(f"https://example.org/new/{i}"), URIRef("https://example.org/p"),
                 Literal(i)))
    proxy = _CuttingProxy(oxigraph_server, passes=2)  # cut while the second chunk goes
    try:
        with pytest.raises(OutputError, match=r"^cannot write to the store http://127"):
            push_graph(proxy.url + "/update", new)
    finally:
        proxy.close()
    after = run_query(oxigraph_server + "/query", "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s")
    assert after.rows == before.rows  # the three old triples, nothing of the new ones
    push_graph(oxigraph_server + "/update", new)  # uncut, the new graph replaces it whole
    (row,) = run_query(oxigraph_server + "/query", count).rows
    assert int(str(row[0])) == 3 * INSERT_CHUNK


# --- hardening: no outbound requests -------------------------------------------------

class _Listener:
    """A loopback TCP listener that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.hits: list[bytes] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.5)
                try:
                    self.hits.append(conn.recv(200) or b"(connected)")
                except OSError:
                    self.hits.append(b"(connected)")

    def close(self) -> list[bytes]:
        time.sleep(0.3)  # let a late request arrive
        self.stop.set()
        self.thread.join(timeout=2)
        self.sock.close()
        return self.hits


def test_service_never_sends_a_request(endpoint):
    listener = _Listener()
    try:
        queries = [
            # '#' is legal in a prefixed name; a comment-stripping regex took it for one.
            f"SELECT ?x WHERE {{ BIND(ent:x\\# AS ?q) SERVICE <{listener.url}/x> "
            "{ ?x ?y ?z } }",
            f"SELECT * {{ ?s ?p ?o OPTIONAL {{ SeRvIcE SILENT <{listener.url}/a> "
            "{ ?s ?p ?o } } } LIMIT 1",
            f"PREFIX l: <{listener.url}/>\nSELECT * {{ SERVICE l:b {{ ?s ?p ?o }} }}",
            f"SELECT * {{ {{ SELECT * {{ SERVICE <{listener.url}/c> {{ ?s ?p ?o }} }} }} }}",
        ]
        for query in queries:
            status, text = post_query(endpoint, query)
            assert status in (400, 403), (query, status, text)
            assert text.count("\n") == 1
    finally:
        assert listener.close() == []


def test_load_never_sends_a_request_even_with_updates(built):
    listener = _Listener()
    with serving(built / "graph.ttl", allow_updates=True) as (server, base):
        for update in (f"INSERT DATA {{ ent:a ent:b ent:c\\# }} ; LOAD <{listener.url}/x>",
                       f"LOAD SILENT <{listener.url}/y> INTO GRAPH <urn:g>",
                       f"# LOAD\nINSERT DATA {{ <urn:a> <urn:b> 1 }} ; load <{listener.url}/z>"):
            status, text = post_query(base, update, "application/sparql-update")
            assert status in (400, 403), (update, status, text)
        assert run_query(base + "/sparql", "ASK { <urn:a> <urn:b> 1 }").boolean is False
        assert listener.close() == []


def test_workers_cannot_reach_the_network():
    listener = _Listener()
    # The engine itself, asked for SERVICE with the parse check out of the way.
    probe = ("import sys, pyoxigraph\nfrom graphkit.serve.worker import isolate_network\n"
             "if not isolate_network(): sys.exit(3)\n"
             f"query = 'SELECT * {{ SERVICE <{listener.url}/x> {{ ?s ?p ?o }} }}'\n"
             "try: list(pyoxigraph.Store().query(query))\n"
             "except OSError as err: sys.exit(4)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=30)
    hits = listener.close()
    if done.returncode == 3:
        pytest.skip("this kernel refuses network namespaces")
    assert done.returncode == 4, done.stderr.decode()[-300:]
    assert hits == []


# --- hardening: one request cannot take the server down ------------------------------

@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{ " * 2500 + "?s ?p ?o" + " }" * 2500,
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 10000 + "?o" + ")" * 10000 + ") }",
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 10000 + "?o) }",
    "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 3000 + "}" * 3000 + " }",
], ids=["braces", "parentheses", "negations", "optionals"])
def test_deep_nesting_is_refused_before_parsing(endpoint, query):
    status, text = post_query(endpoint, query)
    assert status == 400 and "nests deeper" in text and text.count("\n") == 1
    assert post_query(endpoint, "ASK { ?s ?p ?o }")[0] == 200


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_a_crashed_worker_costs_one_request(built):
    import signal

    with serving(built, timeout=20, workers=1) as (server, base):
        answers: list[tuple[int, str]] = []
        thread = threading.Thread(target=lambda: answers.append(post_query(base, RUNAWAY)))
        thread.start()
        time.sleep(1.0)
        for pid in server.endpoint.pool.pids():
            os.kill(pid, signal.SIGSEGV)  # what a stack overflow in the engine does
        thread.join(timeout=10)
        assert answers and 500 <= answers[0][0] < 600 and "worker" in answers[0][1]
        assert post_query(base, "ASK { ?s ?p ?o }")[0] == 200


def test_runaway_queries_are_killed_and_the_next_answers_fast(built):
    with serving(built, timeout=0.5, workers=2) as (server, base):
        first = set(server.endpoint.pool.pids())
        for _ in range(3):
            status, text = post_query(base, RUNAWAY)
            assert status == 503 and "timed out" in text
        started = time.monotonic()
        assert post_query(base, "ASK { ?s ?p ?o }")[0] == 200
        assert time.monotonic() - started < 1.0
        assert not first & set(server.endpoint.pool.pids())  # the runaways' workers are gone
        for pid in first:
            assert not _alive(pid)


def _alive(pid: int) -> bool:
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().split(") ")[1].startswith("Z"):
                    return False  # a zombie has stopped running
        except FileNotFoundError:
            return False
        time.sleep(0.05)
    return True


def test_memory_is_capped_per_worker(built):
    with serving(built, timeout=20, workers=1, memory_mb=1200) as (server, base):
        doublings = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(10))
        hog = ("SELECT (STRLEN(GROUP_CONCAT(?s10)) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
               f"BIND(CONCAT(STR(?a), STR(?d)) AS ?s0) {doublings} }}")  # ~3 GB of text
        status, text = post_query(base, hog)
        assert 500 <= status < 600 and "timed out" not in text, (status, text)
        assert post_query(base, "ASK { ?s ?p ?o }")[0] == 200


# --- hardening: malformed and hostile HTTP -------------------------------------------

@pytest.mark.parametrize("request_bytes, status", [
    (raw_request("POST", "Content-Type: application/sparql-query\r\nContent-Length: -1\r\n",
              b"ASK { ?s ?p ?o }" + b" " * 2_000_000), b"400"),
    (raw_request("POST", "Content-Type: application/sparql-query\r\nContent-Length: abc\r\n",
              b"ASK {}"), b"400"),
    (raw_request("POST", "Content-Type: application/sparql-query\r\nContent-Length: 99\r\n",
              b"ASK {}"), b"400"),
    (b"GET /\r\n", b"400"),
    (b"GET / HTTP/1.1 extra\r\n\r\n", b"400"),
    (raw_request("GET", "Accept: image/png\r\n", target="/sparql?query=ASK%7B%7D"), b"406"),
    (raw_request("GET", target="/sparql?query=ASK%7B%7D", host="evil.example"), b"403"),
    (raw_request("GET", target="/", host="evil.example:80"), b"403"),
    (b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", b"403"),
    (raw_request("POST", "Transfer-Encoding: chunked\r\n", b"5\r\nASK{}\r\n0\r\n\r\n"), b"411"),
    (raw_request("POST", "Content-Type: application/sparql-query\r\n") + b"Content-Length: \xb2"
     b"\r\n\r\nASK {}", b"400"),
    (raw_request("DELETE"), b"405"),
    (raw_request("BREW"), b"405"),
], ids=["negative-length", "text-length", "short-body", "http-0.9", "four-words",
        "unacceptable", "foreign-host", "foreign-host-port", "no-host", "chunked",
        "superscript-length", "delete", "unknown-method"])
def test_malformed_requests_get_one_line_4xx(endpoint, request_bytes, status):
    short_body = b"Content-Length: 99" in request_bytes
    answer = send_raw(endpoint, request_bytes, wait=3.0, hang_up=short_body)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == status, answer[:300]
    assert body.count(b"\n") == 1 and b"Traceback" not in body and b"<" not in body


def test_loopback_hosts_head_and_silent_clients(built):
    server, base = start_server(built, read_timeout=0.5)
    port = base.rsplit(":", 1)[1]
    try:
        for host in ("localhost", f"localhost:{port}", "127.0.0.1", f"[::1]:{port}", "[::1]"):
            answer = send_raw(base, raw_request("GET", target="/sparql?query=ASK%7B%7D", host=host))
            assert answer.startswith(b"HTTP/1.1 200"), (host, answer[:200])
        head = send_raw(base, raw_request("HEAD", target="/"))
        assert head.startswith(b"HTTP/1.1 200") and head.endswith(b"\r\n\r\n")
        started = time.monotonic()
        assert b"(timed out)" not in send_raw(base, b"", wait=5.0)  # closed by the server
        slow = send_raw(base, b"POST /sparql HTTP/1.1\r\nHost: localhost\r\n"
                          b"Content-Length: 10\r\n\r\nASK", wait=5.0)
        assert slow.startswith(b"HTTP/1.1 408"), slow
        assert time.monotonic() - started < 4
    finally:
        server.shutdown()
        server.server_close()


def test_a_named_host_is_accepted():
    from graphkit.serve.http import allowed_hosts, host_name

    assert host_name("KB.example:8000") in allowed_hosts("kb.example")
    assert host_name("evil.example") not in allowed_hosts("kb.example")


# --- hardening: a rebuilt store is served at once ------------------------------------

def test_a_rebuild_is_served_at_once(tmp_path):
    from graphkit.rdf.store import write_build

    out = tmp_path / "kb"
    write_build(tiny_graph("first"), out)
    with serving(out, workers=2) as (server, base):
        # Both workers open it.
        assert served_values(base) == ["first"] and served_values(base) == ["first"]
        write_build(tiny_graph("second"), out)
        assert [served_values(base) for _ in range(4)] == [["second"]] * 4


def test_a_changed_rdf_file_is_served_at_once(tmp_path):
    path = tmp_path / "graph.nt"
    path.write_text('<https://example.org/a> <https://example.org/p> "first" .\n')
    with serving(path, workers=1) as (server, base):
        assert served_values(base) == ["first"]
        path.write_text('<https://example.org/a> <https://example.org/p> "second" .\n')
        assert served_values(base) == ["second"]
    assert not server.endpoint.store.temporary or not any(
        Path(folder).exists() for folder in server.endpoint.store.temporary)


def test_the_serve_command_runs_workers_and_stops(built):
    process = subprocess.Popen([sys.executable, "-m", "graphkit", "serve", str(built),
                                "--port", "0", "--workers", "2", "--timeout", "5"],
                               stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        deadline = time.monotonic() + 30
        while "SPARQL endpoint" not in line and time.monotonic() < deadline:
            line = process.stderr.readline()  # type: ignore[union-attr]
        assert "read-only" in line and "warning" not in line, line
        url = line.split()[2]
        assert run_query(url, "ASK { ?s ?p ?o }").boolean is True
        assert get_status(url + "?query=" + urllib.parse.quote(RUNAWAY))[0] == 503
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_connections_beyond_the_cap_get_503(built):
    server, base = start_server(built, max_connections=2, read_timeout=3)
    host, port = "127.0.0.1", server.server_address[1]
    idle = [socket.create_connection((host, port), timeout=5) for _ in range(2)]
    try:
        time.sleep(0.2)
        answer = send_raw(base, raw_request("GET", target="/"), wait=3.0)
        assert answer.startswith(b"HTTP/1.1 503") and answer.endswith(b"try again\n")
        for sock in idle:
            sock.close()
        time.sleep(0.3)
        assert send_raw(base, raw_request("GET", target="/"), wait=3.0).startswith(b"HTTP/1.1 200")
    finally:
        server.shutdown()
        server.server_close()


def test_old_copies_of_a_changing_file_are_removed(tmp_path):
    path = tmp_path / "graph.nt"
    path.write_text('<https://example.org/a> <https://example.org/p> "v0" .\n')
    with serving(path, workers=1) as (server, base):
        for n in range(1, 5):
            time.sleep(0.01)  # a new modification time
            path.write_text(f'<https://example.org/a> <https://example.org/p> "v{n}" .\n')
            assert served_values(base) == [f"v{n}"]
        assert len([f for f in server.endpoint.store.temporary if Path(f).exists()]) == 2


def test_updates_outlive_a_killed_worker(built):
    with serving(built / "graph.ttl", allow_updates=True, timeout=0.5) as (server, base):
        assert post_query(base, "INSERT DATA { <urn:k> <urn:l> 'm' }",
                     "application/sparql-update")[0] == 204
        assert post_query(base, RUNAWAY)[0] == 503  # kills the one (writable) worker
        assert run_query(base + "/sparql", "ASK { <urn:k> <urn:l> 'm' }").boolean is True


def test_the_nesting_scan_skips_strings_iris_and_comments():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from graphkit.serve.guard import nesting_depth

    assert nesting_depth('ASK { ?s ?p """ {{{ "" \\""" ((( """ }') == 1
    assert nesting_depth("ASK { ?s <http://x/((((> 'a\\'(((' } # {{{{\n") == 1
    assert nesting_depth("ASK { ?s ?p ent:x\\( }") == 1

    @settings(max_examples=300, deadline=None)
    @given(st.text())
    def never_fails(text: str) -> None:
        assert nesting_depth(text) >= 0
        assert nesting_depth(text, stop_above=3) >= 0

    never_fails()


def test_the_log_escapes_control_characters(built):
    lines: list[str] = []
    server = make_server(built, ServeOptions(port=0, workers=1), log=lines.append)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        send_raw(base, b"GET /\x1b[2J HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        assert lines and not any("\x1b" in line for line in lines)
        assert any("\\x1b[2J" in line for line in lines)
    finally:
        server.shutdown()
        server.server_close()


def test_a_slow_drip_client_is_cut_off(built):
    with serving(built, workers=1, read_timeout=0.6) as (server, _base), \
            socket.create_connection(("127.0.0.1", server.server_address[1]),
                                     timeout=5) as sock:
        started = time.monotonic()
        closed = False
        for byte in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 40:
            try:
                sock.sendall(bytes([byte]))  # each byte well within the read timeout
            except OSError:
                closed = True
                break
            time.sleep(0.1)
            sock.setblocking(False)
            try:
                closed = sock.recv(1024) == b"" or closed
            except BlockingIOError:
                pass
            finally:
                sock.setblocking(True)
            if closed:
                break
        assert closed and time.monotonic() - started < 3


def test_a_file_caught_mid_write_is_a_503_then_served(tmp_path):
    path = tmp_path / "graph.nt"
    path.write_text('<https://example.org/a> <https://example.org/p> "first" .\n')
    with serving(path, workers=1) as (server, base):
        path.write_text('<https://example.org/a> <https://example.org/p> "sec')  # half written
        status, text = get_status(base + "/sparql?query=" + urllib.parse.quote(ASK_VALUE))
        assert status == 503 and "cannot be read yet" in text and text.count("\n") == 1
        path.write_text('<https://example.org/a> <https://example.org/p> "second" .\n')
        assert served_values(base) == ["second"]
