"""A multinomial logistic-regression classifier over sparse string features.

Trained with L-BFGS (scipy) on an L2-regularised log loss; saved as one ``.gkm`` file
(a magic line, a JSON header with the feature and class names, then the weights as
zlib-compressed float16), so it loads offline in milliseconds and needs no pickle.

>>> rows = [["w:ally"], ["w:ally", "t:GG"], ["w:fight"], ["w:fight", "t:GG"], ["w:met"]]
>>> model = LinearModel.train(rows, ["A", "A", "R", "R", "NONE"], l2=0.1, seed=0)
>>> model.predict(["w:ally"])[0]
'A'
>>> round(sum(model.proba(["w:fight"]).values()), 6)
1.0
"""

from __future__ import annotations

import json
import struct
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graphkit.errors import GraphkitError

FORMAT_VERSION = 1
MAGIC = b"graphkit-linear-model\n"


class ModelFileError(GraphkitError):
    """A relation-model file is missing, unreadable or of another format."""


@dataclass
class LinearModel:
    """Weights ``(features + 1) × classes``; the last row is the bias."""

    features: dict[str, int]
    classes: list[str]
    weights: np.ndarray
    meta: dict

    def scores(self, feats: Sequence[str]) -> np.ndarray:
        rows = [self.features[f] for f in feats if f in self.features]
        z = self.weights[rows].sum(axis=0) + self.weights[-1]
        z = z - z.max()
        e = np.exp(z.astype(np.float64))
        return e / e.sum()

    def proba(self, feats: Sequence[str]) -> dict[str, float]:
        return dict(zip(self.classes, map(float, self.scores(feats)), strict=True))

    def predict(self, feats: Sequence[str]) -> tuple[str, float]:
        p = self.scores(feats)
        best = int(p.argmax())
        return self.classes[best], float(p[best])

    @classmethod
    def train(cls, rows: Sequence[Sequence[str]], labels: Sequence[str], *, l2: float = 1.0,
              min_count: int = 1, seed: int = 0, weights: Sequence[float] | None = None,
              max_iter: int = 300) -> LinearModel:
        """Fit on feature rows; ``l2`` is the penalty per weight, summed over classes."""
        from scipy.optimize import minimize
        from scipy.sparse import csr_matrix

        counts = Counter(f for row in rows for f in set(row))
        names = sorted(f for f, c in counts.items() if c >= min_count)
        index = {f: i for i, f in enumerate(names)}
        classes = sorted(set(labels))
        y = np.array([classes.index(label) for label in labels])
        indptr, indices = [0], []
        for row in rows:
            indices.extend(sorted({index[f] for f in row if f in index}))
            indptr.append(len(indices))
        x = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(names)))
        sample_w = np.ones(len(rows)) if weights is None else np.asarray(weights, float)
        n_feat, n_cls = len(names), len(classes)
        onehot = np.zeros((len(rows), n_cls))
        onehot[np.arange(len(rows)), y] = 1.0

        def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
            w = flat.reshape(n_feat + 1, n_cls)
            z = x @ w[:-1] + w[-1]
            z -= z.max(axis=1, keepdims=True)
            log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            value = -(sample_w * (onehot * log_p).sum(axis=1)).sum()
            diff = (np.exp(log_p) - onehot) * sample_w[:, None]
            grad = np.vstack([x.T @ diff + l2 * w[:-1], diff.sum(axis=0)])
            return value + 0.5 * l2 * float((w[:-1] ** 2).sum()), grad.ravel()

        start = np.random.default_rng(seed).normal(0, 1e-3, (n_feat + 1) * n_cls)
        fit = minimize(loss, start, jac=True, method="L-BFGS-B",
                       options={"maxiter": max_iter})
        w = fit.x.reshape(n_feat + 1, n_cls).astype(np.float32)
        return cls(index, classes, w, {"iterations": int(fit.nit), "examples": len(rows)})

    def pruned(self, threshold: float = 0.02) -> LinearModel:
        """Drop features whose weights are all near zero (a smaller file, same answers
        within ``threshold`` per feature)."""
        keep = [f for f, i in self.features.items() if np.abs(self.weights[i]).max() >= threshold]
        rows = [self.features[f] for f in keep] + [len(self.weights) - 1]
        return LinearModel({f: i for i, f in enumerate(keep)}, self.classes,
                           self.weights[rows], self.meta)

    def save(self, path: Path) -> None:
        """Write atomically: a half-written model file never replaces a good one."""
        path = Path(path)
        names = sorted(self.features, key=self.features.__getitem__)
        header = json.dumps({"format": FORMAT_VERSION, "classes": self.classes,
                             "features": names, "meta": self.meta,
                             "shape": list(self.weights.shape)}).encode("utf-8")
        body = zlib.compress(self.weights.astype("<f2").tobytes(), 6)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(MAGIC + struct.pack("<Q", len(header)) + header + body)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        try:
            raw = Path(path).read_bytes()
        except OSError as err:
            raise ModelFileError(f"cannot read model {path}: {err.strerror or err}") from None
        if not raw.startswith(MAGIC):
            raise ModelFileError(f"{path} is not a graphkit model file")
        try:
            (size,) = struct.unpack_from("<Q", raw, len(MAGIC))
            start = len(MAGIC) + 8
            header = json.loads(raw[start:start + size])
            body = zlib.decompress(raw[start + size:])
        except (struct.error, ValueError, zlib.error) as err:
            raise ModelFileError(f"{path}: damaged model file ({err})") from None
        if header.get("format") != FORMAT_VERSION:
            raise ModelFileError(f"{path}: model format {header.get('format')!r}, "
                                 f"this graphkit reads format {FORMAT_VERSION}")
        features = {f: i for i, f in enumerate(header["features"])}
        shape = (len(features) + 1, len(header["classes"]))
        if list(shape) != header.get("shape") or len(body) != 2 * shape[0] * shape[1]:
            raise ModelFileError(f"{path}: weights do not match the feature and class lists")
        weights = np.frombuffer(body, dtype="<f2").reshape(shape).astype(np.float32)
        return cls(features, list(header["classes"]), weights, header.get("meta", {}))
