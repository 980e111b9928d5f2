"""Applying edits to source text. Knows nothing about TensorFlow."""
