"""The SPARQL endpoint (graphkit serve) with a standard client, and a real remote store."""

from __future__ import annotations

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

SELECT = "SELECT ?label WHERE { ent:red-delta-army skos:prefLabel ?label }"


@pytest.fixture(scope="module")
def built(tmp_path_factory, settings, extractor) -> Path:
    root = tmp_path_factory.mktemp("served")
    out = root / "out"
    build([write_corpus(root / "docs", "abc")], out, settings, extractor=extractor)
    assert_valid(out)
    return out


def _start(source: Path, **options):
    server = make_server(source, ServeOptions(port=0, **options))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def endpoint(built):
    server, base = _start(built, timeout=5.0, max_rows=50)
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
        assert b'"boolean": true' in response.read()


def _status(request: urllib.request.Request | str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_updates_are_refused_by_default(endpoint):
    from SPARQLWrapper import POST, SPARQLWrapper

    client = SPARQLWrapper(endpoint + "/sparql")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(Exception, match="403|Forbidden|--allow-updates"):
        client.query()
    request = urllib.request.Request(endpoint + "/sparql", data=b"DROP ALL", headers={
        "Content-Type": "application/sparql-update"})
    status, text = _status(request)
    assert status == 403 and "--allow-updates" in text
    assert run_query_count(endpoint) > 0


def run_query_count(base: str) -> int:
    result = run_query(base + "/sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(result.rows[0][0])


def test_service_load_syntax_and_size_are_refused(endpoint):
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, text = _status(endpoint + "/sparql?query=" + urllib.parse.quote(service))
    assert status == 403 and "SERVICE" in text
    status, text = _status(endpoint + "/sparql?query=" + urllib.parse.quote("SELECT WHERE"))
    assert status == 400 and "syntax" in text
    status, text = _status(endpoint + "/sparql?query=" + urllib.parse.quote(
        "SELECT * WHERE { ?s ?p ?o }"))
    assert status == 400 and "more than 50 rows" in text
    status, _ = _status(endpoint + "/nowhere")
    assert status == 404


def test_slow_query_times_out(built):
    server, base = _start(built, timeout=0.3)
    try:
        heavy = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        started = time.monotonic()
        status, text = _status(base + "/sparql?query=" + urllib.parse.quote(heavy))
        assert status == 503 and "timed out" in text
        assert time.monotonic() - started < 5
    finally:
        server.shutdown()
        server.server_close()


def test_allow_updates_accepts_insert_but_never_load(built):
    server, base = _start(built / "graph.ttl", allow_updates=True)  # an in-memory copy
    try:
        insert = urllib.request.Request(base + "/sparql", data=urllib.parse.urlencode(
            {"update": "INSERT DATA { <urn:x> <urn:y> 'z' }"}).encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        assert _status(insert)[0] == 204
        assert run_query(base + "/sparql", "ASK { <urn:x> <urn:y> 'z' }").boolean is True
        load = urllib.request.Request(base + "/sparql", data=b"LOAD <http://127.0.0.1:9/x>",
                                      headers={"Content-Type": "application/sparql-update"})
        assert _status(load)[0] == 403
    finally:
        server.shutdown()
        server.server_close()


def test_html_view_at_root(endpoint):
    status, text = _status(endpoint + "/")
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
