"""`/cypher`: a read-only Cypher pass-through to the Neo4j twin of the store.

Two locks on writing: the text is refused before it is sent if it holds a write clause (CREATE,
MERGE, SET, DELETE, DETACH, REMOVE, DROP, LOAD CSV, FOREACH, `CALL {…} IN TRANSACTIONS`, a
procedure outside a read-only allow-list, any `apoc.` write or dynamic-Cypher procedure, USE,
administration commands), and what is sent runs in a READ transaction (Neo4j then rejects
writes itself). Limits: the transaction timeout and the row limit of the SPARQL endpoint
(`POLICYKG_SPARQL_TIMEOUT`, `POLICYKG_SPARQL_MAX_ROWS`). 503 when no Neo4j is configured.
"""

from __future__ import annotations

import re
import threading
import time
from enum import StrEnum
from typing import Annotated, Any

import neo4j
from fastapi import APIRouter, Body, Query, Request
from neo4j.exceptions import AuthError, ClientError, CypherSyntaxError, ServiceUnavailable
from pydantic import BaseModel, Field

from policykg.api.deps import SettingsDep
from policykg.api.errors import (
    BadRequest,
    Busy,
    QueryTimeout,
    ReadOnlyEndpoint,
    ResultTooLarge,
    error_responses,
)
from policykg.api.settings import Settings
from policykg.queries.cypher_runner import to_plain

router = APIRouter(tags=["cypher"])
_driver_lock = threading.Lock()


class Neo4jUnavailable(Busy):
    """No Neo4j configured, or it cannot be reached (503)."""

    code = "neo4j_unavailable"


class CypherError(BadRequest):
    code = "cypher_error"


# ---- the write guard --------------------------------------------------------------------------

_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.S)
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_QUOTED = re.compile(r"`(?:[^`]|``)*`")
_WRITE = re.compile(
    r"\b(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|DROP|FOREACH|LOAD\s+CSV|USE|ALTER|GRANT|DENY|REVOKE|"
    r"START\s+DATABASE|STOP\s+DATABASE|TERMINATE)\b", re.I)
_IN_TRANSACTIONS = re.compile(r"\bIN\s+(?:\d+\s+CONCURRENT\s+)?TRANSACTIONS\b", re.I)
_CALL = re.compile(r"\bCALL\s*(\{|\(|[A-Za-z_][\w.]*|__quoted__)", re.I)
_APOC = re.compile(r"\bapoc\.(create|merge|refactor|periodic|load|import|export|cypher|do|"
                   r"trigger|schema|nodes\.(delete|link|collapse)|atomic|lock|systemdb|custom|uuid|"
                   r"graph\.fromCypher|when|case)\b", re.I)
#: Procedures that only read (Neo4j 5 built-ins Bloom and users call).
READ_PROCEDURES = {
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "db.indexes",
    "dbms.components", "db.info", "db.ping",
}


def write_clause(cypher: str) -> str | None:
    """The first write (or unknown-procedure) construct in `cypher`, or None when read-only.

    String literals, comments and backquoted names are blanked first, so `WHERE n.text
    CONTAINS 'CREATE'` passes and `CALL \\`apoc.create.node\\`(…)` does not."""
    code = _QUOTED.sub("__quoted__", _COMMENTS.sub(" ", _STRINGS.sub("''", cypher)))
    if match := _WRITE.search(code):
        return " ".join(match.group(1).upper().split())
    if _IN_TRANSACTIONS.search(code):
        return "CALL { … } IN TRANSACTIONS"
    if match := _APOC.search(code):
        return f"apoc.{match.group(1)}"
    for match in _CALL.finditer(code):
        target = match.group(1)
        if target in ("{", "("):  # subquery: its body is checked by the rules above
            continue
        if target.lower() not in READ_PROCEDURES:
            return f"CALL {target}"
    return None


# ---- the driver -------------------------------------------------------------------------------


def _driver(request: Request, settings: Settings) -> tuple[neo4j.Driver, str]:
    """The app's driver, created on first use (never at import or app creation)."""
    if not settings.neo4j_uri:
        raise Neo4jUnavailable("No Neo4j is configured on this server: set NEO4J_URI (and "
                               "NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE) and restart it.")
    database = settings.neo4j_database or "neo4j"
    with _driver_lock:
        driver = getattr(request.app.state, "neo4j_driver", None)
        if driver is None:
            password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
            try:
                driver = neo4j.GraphDatabase.driver(
                    settings.neo4j_uri, auth=(settings.neo4j_username or "neo4j", password),
                    connection_timeout=5.0, max_transaction_retry_time=2.0)
            except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
                raise Neo4jUnavailable(f"NEO4J_URI {settings.neo4j_uri!r} is not valid: {exc}") from None
            request.app.state.neo4j_driver = driver
    return driver, database


# ---- results ----------------------------------------------------------------------------------


class Format(StrEnum):
    json = "json"
    graph = "graph"


class CypherRequest(BaseModel):
    query: str = Field(description="A read-only Cypher query.", examples=["MATCH (p:Policy) RETURN p.title_zh LIMIT 5"])
    params: dict[str, Any] = Field(default_factory=dict, description="Query parameters ($name).")


def _collect(value: Any, nodes: dict[str, Any], rels: dict[str, Any]) -> None:
    if isinstance(value, neo4j.graph.Node):
        nodes[value.element_id] = {"id": value.element_id, "labels": sorted(value.labels),
                                   "properties": to_plain(dict(value))}
    elif isinstance(value, neo4j.graph.Relationship):
        for end in (value.start_node, value.end_node):
            if end is not None:
                _collect(end, nodes, rels)
        rels[value.element_id] = {
            "id": value.element_id, "type": value.type,
            "start": value.start_node.element_id if value.start_node else None,
            "end": value.end_node.element_id if value.end_node else None,
            "properties": to_plain(dict(value)),
        }
    elif isinstance(value, neo4j.graph.Path):
        for item in (*value.nodes, *value.relationships):
            _collect(item, nodes, rels)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, nodes, rels)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, nodes, rels)


def run_read(driver: neo4j.Driver, database: str, query: str, params: dict[str, Any],
             timeout: float, max_rows: int, fmt: Format) -> dict[str, Any]:
    deadline = time.monotonic() + timeout

    @neo4j.unit_of_work(timeout=timeout)
    def work(tx: neo4j.ManagedTransaction) -> dict[str, Any]:
        result = tx.run(query, params)
        columns = list(result.keys())
        rows: list[dict[str, Any]] = []
        nodes: dict[str, Any] = {}
        rels: dict[str, Any] = {}
        for record in result:
            if len(rows) >= max_rows:
                raise ResultTooLarge(f"The answer has more than {max_rows} rows; add a LIMIT.",
                                     {"max_rows": max_rows})
            if time.monotonic() > deadline:
                raise QueryTimeout(f"The query ran longer than {timeout:g} seconds.")
            if fmt is Format.graph:
                _collect(list(record.values()), nodes, rels)
            rows.append({key: to_plain(record[key]) for key in columns})
        if fmt is Format.graph:
            return {"nodes": list(nodes.values()), "relationships": list(rels.values())}
        return {"columns": columns, "rows": rows, "count": len(rows)}

    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(work)
    except CypherSyntaxError as exc:
        raise CypherError(f"Cypher syntax error: {exc.message}") from None
    except AuthError:
        raise Neo4jUnavailable("Neo4j refused the configured credentials (NEO4J_USERNAME / NEO4J_PASSWORD).") from None
    except ServiceUnavailable as exc:
        raise Neo4jUnavailable(f"Neo4j cannot be reached: {exc}") from None
    except ClientError as exc:
        if "DatabaseNotFound" in (exc.code or ""):
            raise Neo4jUnavailable(f"The Neo4j database {database!r} does not exist.") from None
        if "TransactionTimedOut" in (exc.code or "") or "Timeout" in (exc.code or ""):
            raise QueryTimeout(f"The query ran longer than {timeout:g} seconds.") from None
        raise CypherError(f"Neo4j refused the query: {exc.message}") from None


def _answer(request: Request, settings: Settings, query: str, params: dict[str, Any], fmt: Format) -> dict[str, Any]:
    if not query.strip():
        raise CypherError("The query is empty.")
    if found := write_clause(query):
        raise ReadOnlyEndpoint(f"/cypher is read-only: {found} is not allowed.", {"clause": found})
    driver, database = _driver(request, settings)
    return run_read(driver, database, query, params, settings.sparql_timeout, settings.sparql_max_rows, fmt)


_RESPONSES = error_responses(400, 403, 422, 503)


@router.get("/cypher", responses=_RESPONSES, summary="Read-only Cypher query")
def cypher_get(
    request: Request,
    settings: SettingsDep,
    query: Annotated[str, Query(description="A read-only Cypher query.",
                                examples=["MATCH (p:Policy) RETURN p.title_zh AS title LIMIT 5"])],
    format: Annotated[Format, Query(description="json: rows; graph: nodes and relationships.")] = Format.json,
) -> dict[str, Any]:
    """Run a read-only Cypher query on the Neo4j twin; rows as JSON or a graph."""
    return _answer(request, settings, query, {}, format)


@router.post("/cypher", responses=_RESPONSES, summary="Read-only Cypher query with parameters")
def cypher_post(
    request: Request,
    settings: SettingsDep,
    body: Annotated[CypherRequest, Body(examples=[{
        "query": "MATCH (i:FundingInstrument) WHERE i.max_amount > $cap RETURN i.name_zh AS name, i.max_amount AS cap",
        "params": {"cap": 3000000}}])],
    format: Annotated[Format, Query(description="json: rows; graph: nodes and relationships.")] = Format.json,
) -> dict[str, Any]:
    """Run a read-only Cypher query with parameters on the Neo4j twin."""
    return _answer(request, settings, body.query, body.params, format)
