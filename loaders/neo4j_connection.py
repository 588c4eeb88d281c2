"""Connecting to Neo4j: settings from options or `NEO4J_*` variables, failures as one clear line.

`connect(settings)` returns a driver that has already run `RETURN 1` on the named database, so
an unreachable server, bad credentials or a missing database surface here, once, as a
`Neo4jConnectionError` whose message is one line (the CLI prints it and exits with 2).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import neo4j
from neo4j.exceptions import AuthError, ClientError, ConfigurationError, ServiceUnavailable

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"


class Neo4jConnectionError(Exception):
    """Cannot reach the server, log in, or open the database; the message is one line."""


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = None
    database: str = DEFAULT_DATABASE
    connection_timeout: float = 5.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: str | None) -> Neo4jSettings:
        """Explicit `overrides` (CLI options) win over NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD,
        NEO4J_DATABASE, which win over the defaults."""
        env = os.environ if environ is None else environ
        value = {
            "uri": overrides.get("uri") or env.get("NEO4J_URI") or DEFAULT_URI,
            "user": overrides.get("user") or env.get("NEO4J_USERNAME") or DEFAULT_USER,
            "password": overrides.get("password") or env.get("NEO4J_PASSWORD") or None,
            "database": overrides.get("database") or env.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
        }
        return cls(**value)  # type: ignore[arg-type]


def _first_line(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error)
    return " ".join(str(message).split())[:300]


def connect(settings: Neo4jSettings) -> neo4j.Driver:
    """A verified driver for `settings`; Neo4jConnectionError with one line otherwise."""
    where = f"{settings.uri} (database {settings.database!r})"
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password or ""),
            connection_timeout=settings.connection_timeout,
            max_transaction_retry_time=5.0,
        )
    except (ValueError, ConfigurationError) as exc:
        raise Neo4jConnectionError(f"invalid Neo4j URI {settings.uri!r}: {_first_line(exc)}") from None
    try:
        driver.verify_connectivity()
        with driver.session(database=settings.database) as session:
            session.run("RETURN 1").consume()
    except AuthError:
        driver.close()
        raise Neo4jConnectionError(
            f"authentication failed for user {settings.user!r} at {settings.uri}: "
            "check NEO4J_USERNAME / NEO4J_PASSWORD") from None
    except ServiceUnavailable as exc:
        driver.close()
        raise Neo4jConnectionError(f"cannot connect to Neo4j at {settings.uri}: {_first_line(exc)}") from None
    except ClientError as exc:
        driver.close()
        if "DatabaseNotFound" in (exc.code or ""):
            raise Neo4jConnectionError(
                f"database {settings.database!r} does not exist at {settings.uri} "
                "(create it, or set NEO4J_DATABASE / --database)") from None
        raise Neo4jConnectionError(f"Neo4j refused {where}: {_first_line(exc)}") from None
    except OSError as exc:
        driver.close()
        raise Neo4jConnectionError(f"cannot connect to Neo4j at {settings.uri}: {exc}") from None
    return driver
