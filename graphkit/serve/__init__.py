"""A SPARQL 1.1 Protocol endpoint over a build: ``/sparql`` for queries, ``/`` for the view.

Safe by default: bound to loopback and answering only loopback Host names, read-only
(SPARQL Update is refused unless the operator passes ``allow_updates``), ``SERVICE`` and
``LOAD`` always refused (decided from a parse, and the engine runs without network
access where the kernel allows it), queries checked for size and nesting before any
parser sees them, each run in a worker process that is killed past ``timeout`` seconds
or beyond its memory cap, results refused beyond ``max_rows``, request bodies limited to
1 MB, and no CORS headers, so other web pages cannot read it.

Modules: :mod:`.guard` (refusals before running), :mod:`.worker` and :mod:`.pool` (the
processes that run queries), :mod:`.endpoint` (the current store and the rules),
:mod:`.media` (content negotiation), :mod:`.http` (the HTTP server).

>>> ServeOptions().host, ServeOptions().allow_updates
('127.0.0.1', False)
"""

from graphkit.serve.endpoint import Endpoint, ServeOptions
from graphkit.serve.guard import Refused, check_shape, refused_operation
from graphkit.serve.http import LOOPBACK, MAX_BODY, Server, make_server
from graphkit.serve.media import negotiate, render

__all__ = ["LOOPBACK", "MAX_BODY", "Endpoint", "Refused", "ServeOptions", "Server",
           "check_shape", "make_server", "negotiate", "refused_operation", "render"]
