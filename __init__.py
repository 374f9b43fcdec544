"""indsatsgraf: municipal disability-policy action plans as an RDF knowledge graph.

The command line lives in :mod:`indsatsgraf.cli`; the library is split by job:
``importers`` read document layouts into records, ``graph`` turns records into
RDF and keeps the store, ``queries`` holds the saved SPARQL, ``viz`` draws it.
"""

__version__ = "0.1.0"
