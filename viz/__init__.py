"""Network views of the knowledge graph and their rendering as self-contained HTML pages."""
