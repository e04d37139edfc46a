"""graphkit: reporting on militant groups in, a provenance-carrying knowledge graph out.

The flow is Document → spaCy Doc → Mention → Entity → Statement → RDF graph →
networkx graph → HTML / GEXF; each stage lives in its own subpackage.

The Python API (:mod:`graphkit.api`) is reachable from here: ``graphkit.load()``,
``graphkit.extract(texts_or_paths)``, ``graphkit.build(inputs, out_dir)`` and
``graphkit.open(build_dir)``. Importing graphkit loads none of spaCy, rdflib, networkx or
pandas; each API function imports what it needs when first called.
"""

from __future__ import annotations

import sys
import types
from typing import Any

__version__ = "0.1.0"

_API = ("KnowledgeGraph", "build", "extract", "load", "open")


class _Package(types.ModuleType):
    """graphkit's module type: ``graphkit.extract`` and ``graphkit.build`` stay the API
    functions although subpackages of those names exist.

    Importing a submodule sets it as an attribute of its package (``import
    graphkit.build`` binds ``graphkit.build`` to the module), which would replace the
    function of that name. Here that binding is skipped for the API's names; the
    submodules stay importable by their full names (``from graphkit.build import ...``)
    and in ``sys.modules``.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


def __getattr__(name: str) -> Any:
    if name in _API:
        from graphkit import api

        return getattr(api, name)
    raise AttributeError(f"module 'graphkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])


sys.modules[__name__].__class__ = _Package
