"""The endpoint as standard clients and browsers see it: media types, the service
description, CORS, the build it logs, bursts of clients and slow ones."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from graphkit.rdf import run_query
from graphkit.rdf.store import write_build
from graphkit.serve import ServeOptions, make_server

from .serve_kit import (
    get_status,
    raw_request,
    send_raw,
    served_values,
    start_server,
    tiny_graph,
)

ENT = Namespace("https://w3id.org/graphkit/entity/")
EX = Namespace("https://example.org/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FMT = Namespace("http://www.w3.org/ns/formats/")
ALLIED = URIRef("https://w3id.org/graphkit/ontology#alliedWith")


def _kb() -> Graph:
    """Five triples: Alpha (an English label) allied with Beta (a plain label and a
    founding year), and one blank node."""
    graph = Graph()
    graph.add((ENT.a, SKOS.prefLabel, Literal("Alpha", lang="en")))
    graph.add((ENT.a, ALLIED, ENT.b))
    graph.add((ENT.b, SKOS.prefLabel, Literal("Beta")))
    graph.add((ENT.b, EX.year, Literal("1990", datatype=XSD.integer)))
    graph.add((BNode(), EX.p, Literal("blank")))
    return graph


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kb") / "kb"
    write_build(_kb(), out)
    return out


@pytest.fixture(scope="module")
def base(kb):
    server, url = start_server(kb, workers=2, max_rows=4, cors=("http://app.example",))
    yield url
    server.shutdown()
    server.server_close()


LABELS = (f"SELECT ?s ?label ?year WHERE {{ ?s <{SKOS.prefLabel}> ?label "
          f"OPTIONAL {{ ?s <{EX.year}> ?year }} }} ORDER BY ?s")
CONSTRUCT = f"CONSTRUCT {{ ?a <{ALLIED}> ?b }} WHERE {{ ?a <{ALLIED}> ?b }}"
DESCRIBE = f"DESCRIBE <{ENT.a}>"
ASK = f"ASK {{ <{ENT.a}> <{ALLIED}> <{ENT.b}> }}"


def _get(base: str, query: str, accept: str = "", origin: str = ""):
    headers = {"Accept": accept} if accept else {}
    if origin:
        headers["Origin"] = origin
    url = base + "/sparql?query=" + urllib.parse.quote(query)
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers))


def test_select_bindings_in_the_sparql_json_shape(base):
    with _get(base, LABELS, "application/sparql-results+json") as response:
        answer = json.loads(response.read())
    assert answer == {"head": {"vars": ["s", "label", "year"]}, "results": {"bindings": [
        {"s": {"type": "uri", "value": str(ENT.a)},
         "label": {"type": "literal", "value": "Alpha", "xml:lang": "en"}},
        {"s": {"type": "uri", "value": str(ENT.b)},
         "label": {"type": "literal", "value": "Beta"},
         "year": {"type": "literal", "value": "1990", "datatype": str(XSD.integer)}}]}}
    with _get(base, f'SELECT ?n WHERE {{ ?n <{EX.p}> "blank" }}') as response:
        (row,) = json.loads(response.read())["results"]["bindings"]
    assert row["n"]["type"] == "bnode" and row["n"]["value"]


def test_row_limit_counts_rows_exactly(base):
    # max_rows=4: the four non-blank subjects' triples with a label or year are 4 rows.
    four = f"SELECT ?s ?o WHERE {{ ?s ?p ?o FILTER(?p != <{EX.p}>) }}"
    assert len(run_query(base + "/sparql", four).rows) == 4
    status, text = get_status(base + "/sparql?query=" + urllib.parse.quote(
        "SELECT * WHERE { ?s ?p ?o }"))
    assert status == 400 and "more than 4 rows" in text
    status, text = get_status(base + "/sparql?query=" + urllib.parse.quote(
        "CONSTRUCT WHERE { ?s ?p ?o }"))
    assert status == 400 and "more than 4 rows" in text


def _wrapper(base: str, query: str, fmt: str):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query()


def _alpha_allied_with_beta(graph: Graph) -> bool:
    return (ENT.a, ALLIED, ENT.b) in graph


@pytest.mark.parametrize("query, fmt, media", [
    (LABELS, "json", "application/sparql-results+json"),
    (LABELS, "xml", "application/sparql-results+xml"),
    (LABELS, "csv", "text/csv"),
    (LABELS, "tsv", "text/tab-separated-values"),
    (ASK, "json", "application/sparql-results+json"),
    (ASK, "xml", "application/sparql-results+xml"),
    (CONSTRUCT, "rdf+xml", "application/rdf+xml"),
    (CONSTRUCT, "xml", "application/rdf+xml"),
    (CONSTRUCT, "turtle", "text/turtle"),
    (CONSTRUCT, "json-ld", "application/ld+json"),
    (DESCRIBE, "rdf+xml", "application/rdf+xml"),
    (DESCRIBE, "turtle", "text/turtle"),
    (DESCRIBE, "json-ld", "application/ld+json"),
])
def test_sparqlwrapper_gets_each_format_with_its_media_type(base, query, fmt, media):
    result = _wrapper(base, query, fmt)
    assert result.response.headers.get_content_type() == media
    answer = result.convert()
    if query is LABELS and fmt == "json":
        assert [b["label"]["value"] for b in answer["results"]["bindings"]] == ["Alpha", "Beta"]
    elif query is LABELS:
        text = answer.toxml() if fmt == "xml" else answer.decode("utf-8")
        assert "Alpha" in text and "Beta" in text
    elif query is ASK:
        assert (answer["boolean"] if fmt == "json" else
                answer.getElementsByTagName("boolean")[0].firstChild.data == "true") is True
    else:
        # SPARQLWrapper turns RDF/XML and JSON-LD into a Graph; Turtle it leaves as text.
        graph = answer if isinstance(answer, Graph) else Graph().parse(data=answer,
                                                                       format="turtle")
        assert _alpha_allied_with_beta(graph)
        if query is DESCRIBE:  # Alpha's own two triples, hand-counted
            assert set(graph.predicates(ENT.a)) == {SKOS.prefLabel, ALLIED}


def test_rdflib_sparqlstore_reads_every_query_form(base):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(base + "/sparql"))
    labels = {str(row[1]) for row in graph.query(LABELS)}
    assert labels == {"Alpha", "Beta"}
    assert graph.query(ASK).askAnswer is True
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None and set(constructed) == {(ENT.a, ALLIED, ENT.b)}
    described = graph.query(DESCRIBE).graph
    assert described is not None and len(described) == 2 and _alpha_allied_with_beta(described)
    assert (ENT.b, SKOS.prefLabel, Literal("Beta")) in graph  # a triple pattern: SELECT


def test_sparql_without_a_query_is_a_service_description(base):
    with urllib.request.urlopen(base + "/sparql") as response:
        assert response.headers.get_content_type() == "text/turtle"
        description = Graph().parse(data=response.read(), format="turtle")
    (service,) = description.subjects(RDF.type, SD.Service)
    assert set(description.objects(service, SD.endpoint)) == {URIRef(base + "/sparql")}
    assert set(description.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    formats = set(description.objects(service, SD.resultFormat))
    assert {FMT.SPARQL_Results_JSON, FMT.SPARQL_Results_XML, FMT.Turtle, FMT.RDF_XML} <= formats
    request = urllib.request.Request(base + "/sparql", headers={"Accept": "application/rdf+xml"})
    with urllib.request.urlopen(request) as response:
        assert response.headers.get_content_type() == "application/rdf+xml"
        assert (None, RDF.type, SD.Service) in Graph().parse(data=response.read(),
                                                             format="xml")


def _options(base: str, origin: str) -> tuple[int, dict[str, str]]:
    answer = send_raw(base, raw_request(
        "OPTIONS", f"Origin: {origin}\r\nAccess-Control-Request-Method: POST\r\n"
        "Access-Control-Request-Headers: content-type\r\n"), wait=3.0)
    head = answer.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    headers = {name.lower(): value for name, value in (line.split(": ", 1) for line in head[1:])}
    return int(head[0].split()[1]), headers


def test_cors_only_for_the_origins_named(base, kb):
    with _get(base, ASK, origin="http://app.example") as response:
        assert response.headers["Access-Control-Allow-Origin"] == "http://app.example"
        assert response.headers["Vary"] == "Origin"
    with _get(base, ASK, origin="http://evil.example") as response:
        assert response.headers.get("Access-Control-Allow-Origin") is None
    code, headers = _options(base, "http://app.example")
    assert code == 204
    assert headers["access-control-allow-origin"] == "http://app.example"
    assert "POST" in headers["access-control-allow-methods"]
    assert "content-type" in headers["access-control-allow-headers"].lower()
    code, headers = _options(base, "http://evil.example")
    assert not any(name.startswith("access-control") for name in headers)
    # Without --cors: no preflight at all, and no header on answers.
    server, plain = start_server(kb, workers=1)
    try:
        code, headers = _options(plain, "http://app.example")
        assert code == 405 and not any(name.startswith("access-control") for name in headers)
        with _get(plain, ASK, origin="http://app.example") as response:
            assert response.headers.get("Access-Control-Allow-Origin") is None
    finally:
        server.shutdown()
        server.server_close()


def _graph_hash(folder: Path) -> str:
    return hashlib.sha256((folder / "graph.ttl").read_bytes()).hexdigest()[:16]


def test_the_log_names_the_build_served_and_its_replacement(tmp_path):
    from graphkit.build_record import BuildRecord

    out = tmp_path / "kb"
    write_build(tiny_graph("first"), out)
    BuildRecord({}, {"a.txt": "/docs/a.txt", "b.txt": "/docs/b.txt"}).save(out)
    first = _graph_hash(out)
    lines: list[str] = []
    server = make_server(out, ServeOptions(port=0, workers=1), log=lines.append)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        (start,) = [line for line in lines if line.startswith("serving ")]
        assert str(out.resolve()) in start and "built 20" in start and "2 documents" in start
        assert f"graph sha256 {first}" in start
        write_build(tiny_graph("second"), out)
        assert run_query(base + "/sparql", "ASK { ?s ?p 'second' }").boolean is True
        (changed,) = [line for line in lines if line.startswith("the build changed")]
        assert f"graph sha256 {_graph_hash(out)}" in changed and _graph_hash(out) != first
    finally:
        server.shutdown()
        server.server_close()


def _switch_in(out: Path, value: str) -> str:
    """A build of one triple switched in whole, as graphkit build does; its folder name."""
    from graphkit import build_folder

    out.mkdir(exist_ok=True)
    build_folder.prepare(out)
    staged = build_folder.stage(out)
    write_build(tiny_graph(value), staged)
    build_folder.switch(out, staged)
    build_folder.tidy(out)
    return staged.name


def test_a_build_switched_in_whole_is_served_and_logged(tmp_path):
    out = tmp_path / "kb"
    first = _switch_in(out, "first")
    lines: list[str] = []
    server = make_server(out, ServeOptions(port=0, workers=2), log=lines.append)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert [served_values(base) for _ in range(2)] == [["first"]] * 2  # both workers
        second = _switch_in(out, "second")
        assert [served_values(base) for _ in range(4)] == [["second"]] * 4
        assert any(line.startswith("serving ") and f"build {first}" in line for line in lines)
        assert any(line.startswith("the build changed") and f"build {second}" in line
                   for line in lines)
    finally:
        server.shutdown()
        server.server_close()


def test_two_hundred_simultaneous_clients_are_all_answered(kb):
    server, base = start_server(kb, workers=2)
    port = server.server_address[1]
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=20) for _ in range(200)]
    try:
        for sock in sockets:  # every connection is open before any request is sent
            sock.sendall(raw_request("GET", target="/sparql?query="
                                     + urllib.parse.quote(ASK)))
        statuses = []
        for sock in sockets:
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
            statuses.append(answer.split(b" ")[1])
        assert statuses == [b"200"] * 200
    finally:
        for sock in sockets:
            sock.close()
        server.shutdown()
        server.server_close()


def test_slowloris_connections_are_dropped_and_block_no_one(kb):
    # 3 s to send a request head: long enough that all 300 are held when the other
    # client comes (a cap of 64 connections, as before, turned it away with 503).
    server, base = start_server(kb, workers=1, read_timeout=3.0)
    port = server.server_address[1]
    slow = []
    try:
        for _ in range(300):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            slow.append(sock)
        # Another client is answered while all 300 are held.
        assert get_status(base + "/sparql?query=" + urllib.parse.quote(ASK))[0] == 200
        started, open_ = time.monotonic(), set(range(300))
        while open_ and time.monotonic() - started < 7:
            for i in list(open_):
                try:
                    slow[i].sendall(b"a")  # a byte now and then: never a whole head
                    slow[i].setblocking(False)
                    if slow[i].recv(1024) == b"":
                        open_.discard(i)
                except BlockingIOError:
                    pass
                except OSError:
                    open_.discard(i)
                finally:
                    slow[i].setblocking(True)
            time.sleep(0.2)
        assert not open_, f"{len(open_)} of 300 still held after {time.monotonic() - started:.1f} s"
        assert get_status(base + "/")[0] == 200
    finally:
        for sock in slow:
            sock.close()
        server.shutdown()
        server.server_close()


def test_the_serve_command_takes_cors(kb):
    process = subprocess.Popen([sys.executable, "-m", "graphkit", "serve", str(kb),
                                "--port", "0", "--workers", "1", "--cors",
                                "http://app.example/"], stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 30
        while not (lines and "SPARQL endpoint" in lines[-1]) and time.monotonic() < deadline:
            lines.append(process.stderr.readline())  # type: ignore[union-attr]
        assert any(line.startswith("serving ") and str(kb.resolve()) in line for line in lines)
        url = lines[-1].split()[2]
        with _get(url.removesuffix("/sparql"), ASK, origin="http://app.example") as response:
            assert response.headers["Access-Control-Allow-Origin"] == "http://app.example"
    finally:
        process.terminate()
        process.wait(timeout=10)
