"""A SPARQL 1.1 Protocol endpoint over a build: ``/sparql`` for queries, ``/`` for the view.

Safe by default: bound to loopback and answering only loopback Host names, read-only
(SPARQL Update is refused unless the operator passes ``allow_updates``), ``SERVICE`` and
``LOAD`` always refused (decided from a parse, and the engine runs without network
access where the kernel allows it), queries checked for size and nesting before any
parser sees them, each run in a worker process that is killed past ``timeout`` seconds
or beyond its memory cap, results refused beyond ``max_rows``, request bodies limited to
1 MB, and no CORS headers unless the operator names origins, so other web pages cannot
read it. uvicorn carries the HTTP; graphkit's rules sit above it as an ASGI app.

Modules: :mod:`.guard` (refusals before running), :mod:`.worker` and :mod:`.pool` (the
processes that run queries), :mod:`.endpoint` (the current store and the rules),
:mod:`.media` (content negotiation and serializers), :mod:`.describe` (the service
description and build label), :mod:`.app` (the HTTP rules), :mod:`.http` (the server).

>>> ServeOptions().host, ServeOptions().allow_updates
('127.0.0.1', False)
"""

from graphkit.serve.endpoint import Endpoint, ServeOptions
from graphkit.serve.guard import Refused, check_shape, refused_operation
from graphkit.serve.http import LOOPBACK, MAX_BODY, Server, make_server
from graphkit.serve.media import negotiate, render

__all__ = ["LOOPBACK", "MAX_BODY", "Endpoint", "Refused", "ServeOptions", "Server",
           "check_shape", "make_server", "negotiate", "refused_operation", "render"]
