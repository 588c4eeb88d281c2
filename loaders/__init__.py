"""Text -> documents -> clauses -> facts -> RDF, and the Neo4j sync."""
