"""Settings of the HTTP API: one object, explicit fields, read from the environment on demand.

Nothing is read at import time: `Settings.from_env()` is called by `policykg serve` (or a
test) and the result is handed to `create_app(store, settings)`.

| variable | field | default |
|---|---|---|
| `POLICYKG_DATA` | `data_dir` | `None` (the store's own default) |
| `POLICYKG_API_KEY` | `api_key` | `None`: writes disabled |
| `POLICYKG_SPARQL_TIMEOUT` | `sparql_timeout` | 10 seconds |
| `POLICYKG_SPARQL_MAX_ROWS` | `sparql_max_rows` | 10,000 rows (or triples) |
| `POLICYKG_SPARQL_WORKERS` | `sparql_workers` | 4 concurrent queries |
| `POLICYKG_MAX_UPLOAD_BYTES` | `max_upload_bytes` | 5 MiB |
| `POLICYKG_QUERY_QUEUE` | `query_queue` | 64 queries waiting for a worker |
| `POLICYKG_QUERY_QUEUE_TIMEOUT` | `query_queue_timeout` | 30 seconds in the queue at most |
| `POLICYKG_QUERY_MEMORY_MB` | `query_memory_mb` | 1024 MiB per query worker |
| `POLICYKG_QUERY_MAX_CHARS` | `query_max_chars` | 32,768 characters (SPARQL and Cypher) |
| `POLICYKG_QUERY_MAX_DEPTH` | `query_max_depth` | 64 nested brackets |
| `POLICYKG_QUERY_MAX_BRACKETS` | `query_max_brackets` | 1,000 brackets |
| `POLICYKG_QUERY_MAX_UNIONS` | `query_max_unions` | 256 UNIONs |
| `POLICYKG_QUERY_MAX_PATTERNS` | `query_max_patterns` | 2,000 patterns (separators) |
| `POLICYKG_RDF_MAX_DEPTH` | `rdf_max_depth` | 64 nested JSON-LD objects or Turtle `[`/`(` |
| `POLICYKG_VALIDATE_TIMEOUT` | `validate_timeout` | 30 seconds per /validate |
| `NEO4J_URI`, `NEO4J_USERNAME`, `NEO4J_PASSWORD`, `NEO4J_DATABASE` | `neo4j_*` | unset |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from policykg.api.query_limits import TextLimits

DEFAULT_SPARQL_TIMEOUT = 10.0
DEFAULT_SPARQL_MAX_ROWS = 10_000
DEFAULT_SPARQL_WORKERS = 4
DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Integer limits read from POLICYKG_<FIELD upper-cased>; see `api/query_limits.py`.
INT_LIMITS = {
    "query_queue": 64, "query_memory_mb": 1024, "query_max_chars": 32_768,
    "query_max_depth": 64, "query_max_brackets": 1_000, "query_max_unions": 256,
    "query_max_patterns": 2_000, "rdf_max_depth": 64,
}


class Settings(BaseModel):
    """Everything the API can be configured with."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    data_dir: Path | None = Field(None, description="Persistent store directory (POLICYKG_DATA).")
    api_key: SecretStr | None = Field(
        None, description="Key required in X-API-Key for writes; unset disables writes."
    )
    sparql_timeout: float = Field(DEFAULT_SPARQL_TIMEOUT, gt=0, description="Seconds per query.")
    sparql_max_rows: int = Field(DEFAULT_SPARQL_MAX_ROWS, gt=0, description="Rows or triples per answer.")
    sparql_workers: int = Field(DEFAULT_SPARQL_WORKERS, gt=0, description="Queries evaluated at once.")
    max_upload_bytes: int = Field(DEFAULT_MAX_UPLOAD_BYTES, gt=0, description="Largest request body.")
    query_queue: int = Field(INT_LIMITS["query_queue"], ge=0, description="Queries waiting for a worker.")
    query_queue_timeout: float = Field(30.0, gt=0, description="Seconds a query may wait in the queue.")
    query_memory_mb: int = Field(INT_LIMITS["query_memory_mb"], gt=0, description="Memory cap of a query worker.")
    query_max_chars: int = Field(INT_LIMITS["query_max_chars"], gt=0, description="Longest SPARQL/Cypher text.")
    query_max_depth: int = Field(INT_LIMITS["query_max_depth"], gt=0, description="Deepest bracket nesting.")
    query_max_brackets: int = Field(INT_LIMITS["query_max_brackets"], gt=0, description="Most brackets in a query.")
    query_max_unions: int = Field(INT_LIMITS["query_max_unions"], gt=0, description="Most UNIONs in a query.")
    query_max_patterns: int = Field(INT_LIMITS["query_max_patterns"], gt=0, description="Most patterns in a query.")
    rdf_max_depth: int = Field(INT_LIMITS["rdf_max_depth"], gt=0, description="Deepest RDF body nesting.")
    validate_timeout: float = Field(30.0, gt=0, description="Seconds per /validate.")
    neo4j_uri: str | None = None
    neo4j_username: str | None = None
    neo4j_password: SecretStr | None = None
    neo4j_database: str | None = None

    @property
    def text_limits(self) -> TextLimits:
        return TextLimits(self.query_max_chars, self.query_max_depth, self.query_max_brackets,
                          self.query_max_unions, self.query_max_patterns)

    @property
    def writes_enabled(self) -> bool:
        return self.api_key is not None and bool(self.api_key.get_secret_value())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from `environ` (default: the process environment)."""
        env = os.environ if environ is None else environ

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        def number(name: str, default: float) -> float:
            value = text(name)
            if value is None:
                return default
            try:
                return float(value)
            except ValueError:
                raise ValueError(f"{name} must be a number, not {value!r}") from None

        data = text("POLICYKG_DATA")
        key = text("POLICYKG_API_KEY")
        password = text("NEO4J_PASSWORD")
        return cls(
            data_dir=Path(data) if data else None,
            api_key=SecretStr(key) if key else None,
            sparql_timeout=number("POLICYKG_SPARQL_TIMEOUT", DEFAULT_SPARQL_TIMEOUT),
            sparql_max_rows=int(number("POLICYKG_SPARQL_MAX_ROWS", DEFAULT_SPARQL_MAX_ROWS)),
            sparql_workers=int(number("POLICYKG_SPARQL_WORKERS", DEFAULT_SPARQL_WORKERS)),
            max_upload_bytes=int(number("POLICYKG_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)),
            query_queue_timeout=number("POLICYKG_QUERY_QUEUE_TIMEOUT", 30.0),
            validate_timeout=number("POLICYKG_VALIDATE_TIMEOUT", 30.0),
            **{name: int(number("POLICYKG_" + name.upper(), default))
               for name, default in INT_LIMITS.items()},
            neo4j_uri=text("NEO4J_URI"),
            neo4j_username=text("NEO4J_USERNAME"),
            neo4j_password=SecretStr(password) if password else None,
            neo4j_database=text("NEO4J_DATABASE"),
        )
