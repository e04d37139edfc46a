"""Training the relation model: the annotated corpus, candidate features, the model."""
