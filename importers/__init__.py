"""Importers: one per document layout, each returning plain records (never RDF)."""
