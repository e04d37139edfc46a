"""Loading the spaCy pipeline with graphkit's components added."""

from __future__ import annotations

from spacy.language import Language

from graphkit.errors import ModelNotFoundError
from graphkit.packages import model_hint
from graphkit.settings import Settings

# Components of the trained pipeline that extraction does not read; disabling them
# saves parse time. (The lemmatizer is kept: patterns match lemmas.)
UNUSED = ("textcat", "textcat_multilabel", "entity_linker", "senter")


def load_pipeline(settings: Settings) -> Language:
    """Load ``settings.model`` and add the gk_mentions and gk_relations components."""
    import spacy

    import graphkit.extract.components  # noqa: F401  (registers the factories)

    try:
        nlp = spacy.load(settings.model, exclude=[c for c in UNUSED])
    except OSError:
        raise ModelNotFoundError(
            f"spaCy pipeline {settings.model!r} is not installed; "
            f"{model_hint(settings.model)}") from None
    for needed in ("parser", "ner"):
        if needed not in nlp.pipe_names:
            raise ModelNotFoundError(
                f"spaCy pipeline {settings.model!r} has no {needed!r} component; "
                "graphkit needs a trained English pipeline with a parser and NER")
    nlp.add_pipe("gk_clause_breaks", before="parser")
    nlp.add_pipe("gk_mentions", config={
        "gazetteer_path": str(settings.gazetteer), "model_dir": str(settings.model_dir or ""),
        "entity_types": settings.entity_types})
    nlp.add_pipe("gk_relations", config={
        "use_model": settings.use_model, "threshold": settings.model_threshold,
        "model_dir": str(settings.model_dir or "")})
    return nlp
