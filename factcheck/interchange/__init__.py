"""Interchange formats: record models and the parsers and writers of each file format."""
