"""What the endpoint says about itself: its SPARQL 1.1 Service Description, and which
build it serves (for the operator's log).

>>> from graphkit.serve.endpoint import ServeOptions
>>> media, body = service_description(ServeOptions(), "http://localhost:8000/sparql", "")
>>> media, b"sd:endpoint <http://localhost:8000/sparql>" in body
('text/turtle; charset=utf-8', True)
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.serve.guard import Refused
from graphkit.serve.media import GRAPH_TYPES, RDF_FORMATS, content_type, negotiate

if TYPE_CHECKING:
    from graphkit.serve.endpoint import ServeOptions

# The W3C format IRIs (www.w3.org/ns/formats/) of what /sparql can answer with.
_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
            "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD", "N3")
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]+)?$|^\[[0-9A-Fa-f:.]+\](:[0-9]+)?$")


def service_description(options: ServeOptions, endpoint: str, accept: str
                        ) -> tuple[str, bytes]:
    """(content type, body): the sd:Service this endpoint is, in Turtle unless the
    client asks for another RDF format."""
    import pyoxigraph

    host = endpoint.removeprefix("http://").removesuffix("/sparql")
    if not _HOST.match(host):  # the Host header is the client's text: only a host name
        endpoint = f"http://{options.host}:{options.port}/sparql"
    languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if options.allow_updates else "")
    formats = ", ".join(f"fmt:{name}" for name in _FORMATS)
    turtle = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .

[] a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage {languages} ;
    sd:resultFormat {formats} ;
    sd:feature sd:UnionDefaultGraph ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""
    fmt = negotiate(accept, GRAPH_TYPES, "turtle")
    if fmt is None:
        raise Refused(406, "the service description is RDF; accept text/turtle or another "
                           "RDF format")
    if fmt == "turtle":
        return content_type(fmt), turtle.encode("utf-8")
    triples = [quad.triple for quad in pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE)]
    body = pyoxigraph.serialize(triples, format=getattr(pyoxigraph.RdfFormat, RDF_FORMATS[fmt]))
    return content_type(fmt), body or b""


def build_label(source: Path) -> str:
    """One line naming the build served from ``source``: its path, the build's own folder,
    when it was built and a hash of its graph, from ``build.json`` and ``graph.ttl``
    where they exist.

    The hash is over graph.ttl (or the RDF file served), which a build writes sorted:
    the same graph gives the same hash, so two logs say whether two servers answer alike.
    """
    source = source.resolve()
    folder = source if source.is_dir() else source.parent
    parts = [str(source)]
    current = folder / ".current"  # the build in use, in graphkit.build_folder's layout
    if current.is_symlink():
        parts.append(f"build {current.resolve().name}")
    record = folder / "build.json"
    if record.is_file():
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        built = data.get("built") if isinstance(data, dict) else None
        stamp = built or time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                       time.gmtime(record.stat().st_mtime))
        parts.append(f"built {stamp}")
        documents = data.get("documents") if isinstance(data, dict) else None
        if isinstance(documents, dict):
            parts.append(f"{len(documents)} document{'' if len(documents) == 1 else 's'}")
    graph = source if source.is_file() else folder / "graph.ttl"
    if graph.is_file():
        parts.append(f"graph sha256 {_sha256(graph)[:16]}")
    return ", ".join(parts)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return "(unreadable)"
    return digest.hexdigest()
