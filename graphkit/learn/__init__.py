"""Learned scoring of relation candidates: label sets and a linear classifier.

Nothing here imports spaCy: features arrive as strings, so the model is trained,
saved, loaded and tested without a pipeline (:mod:`graphkit.extract.pairs` makes the
features from parsed sentences).
"""
