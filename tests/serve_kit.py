"""What the endpoint tests share: a server on a free port, and clients at three levels
(SPARQL, urllib, raw bytes)."""

from __future__ import annotations

import contextlib
import socket
import threading
import urllib.error
import urllib.request
from pathlib import Path

from graphkit.rdf import run_query
from graphkit.serve import ServeOptions, make_server


def start_server(source: Path, **options):
    server = make_server(source, ServeOptions(port=0, **options))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@contextlib.contextmanager
def serving(source: Path, **options):
    """A started server and its base URL, shut down and closed on leaving."""
    server, base = start_server(source, **options)
    try:
        yield server, base
    finally:
        server.shutdown()
        server.server_close()


def get_status(request: urllib.request.Request | str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def post_query(base: str, text: str, media: str = "application/sparql-query",
               accept: str = "") -> tuple[int, str]:
    headers = {"Content-Type": media}
    if accept:
        headers["Accept"] = accept
    return get_status(urllib.request.Request(base + "/sparql", data=text.encode(),
                                             headers=headers))


def send_raw(base: str, data: bytes, wait: float = 5.0, hang_up: bool = False) -> bytes:
    """Send ``data`` as is (and end the sending side if ``hang_up``), then read until the
    server closes or ``wait`` runs out."""
    host, port = base.rsplit("/", 1)[1].split(":")
    chunks = []
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)  # the server may refuse (and close) before reading it all
        if hang_up:
            sock.shutdown(socket.SHUT_WR)
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            chunks.append(b"(timed out)")
        except ConnectionResetError:
            chunks.append(b"(reset)")
    return b"".join(chunks)


def raw_request(method: str, headers: str = "", body: bytes = b"", target: str = "/sparql",
                host: str = "127.0.0.1") -> bytes:
    return (f"{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{headers}"
            "\r\n").encode() + body


def tiny_graph(value: str):
    from rdflib import Graph, Literal, URIRef

    graph = Graph()
    graph.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal(value)))
    return graph


ASK_VALUE = "SELECT ?v WHERE { <https://example.org/a> <https://example.org/p> ?v }"


def served_values(base: str) -> list[str]:
    return [str(row[0]) for row in run_query(base + "/sparql", ASK_VALUE).rows]
