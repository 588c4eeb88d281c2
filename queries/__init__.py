"""The named-query catalogue (.rq/.cypher pairs), the embedded store and the code that runs them."""
