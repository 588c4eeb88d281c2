"""`/cypher`: a read-only Cypher pass-through to the Neo4j twin of the store.

Read-only by construction, decided by the server, never by reading the text here:
1. the query runs in a READ-access session (`default_access_mode=READ_ACCESS`, `execute_read`):
   Neo4j itself refuses writes there (a cluster routes it to a reader);
2. on Neo4j, `EXPLAIN <query>` first: the server's own query type must be "r" (read-only);
3. on every backend, the executed query's summary must say query type "r" with no updates;
   otherwise the transaction function raises, the driver rolls the transaction back, and the
   client gets 403 `read_only` — nothing was committed.
ArcadeDB's Bolt server (the tests' backend) accepts writes in READ sessions and answers "w"
to every EXPLAIN, so there 3 is the guarantee: the write is rolled back (tests check the
database afterwards). Reads a plugin makes dangerous (`LOAD CSV` of server files, APOC's
`apoc.load.*`) are refused on the raw text (`refused_feature`): ArcadeDB's `LOAD CSV` reads
the server's files. That check reads no syntax, so no comment or string can hide a feature
from it; it can only refuse a read that merely mentions one (e.g. "csv" in a string).

Limits: size and shape before sending (`api/query_limits.py`); the transaction timeout and
the row limit of the SPARQL endpoint (`POLICYKG_SPARQL_TIMEOUT`, `POLICYKG_SPARQL_MAX_ROWS`).
503 when no Neo4j is configured.
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
    Forbidden,
    QueryTimeout,
    ReadOnlyEndpoint,
    ResultTooLarge,
    error_responses,
)
from policykg.api.query_limits import check_query_text
from policykg.api.settings import Settings
from policykg.queries.cypher_runner import to_plain

router = APIRouter(tags=["cypher"])
_driver_lock = threading.Lock()


class Neo4jUnavailable(Busy):
    """No Neo4j configured, or it cannot be reached (503)."""

    code = "neo4j_unavailable"


class CypherError(BadRequest):
    code = "cypher_error"


# ---- the read check ---------------------------------------------------------------------------


class NotARead(Exception):
    """Raised inside the transaction function, so the driver rolls the transaction back."""

    def __init__(self, query_type: str | None, counters: Any):
        super().__init__(query_type)
        self.query_type = query_type
        self.counters = counters


def check_read(summary: neo4j.ResultSummary) -> None:
    counters = summary.counters
    if summary.query_type != "r" or counters.contains_updates or counters.contains_system_updates:
        raise NotARead(summary.query_type, counters)


def _refused(exc: NotARead) -> ReadOnlyEndpoint:
    return ReadOnlyEndpoint(
        f"/cypher is read-only: the server classifies this query as {exc.query_type!r}, not a "
        "read (\"r\"); nothing was changed. / /cypher 只读：该查询不是只读查询，未作任何修改。",
        {"query_type": exc.query_type})


#: Procedures that only read (Neo4j 5 built-ins Bloom and users call).
READ_PROCEDURES = (
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "db.indexes",
    "dbms.components", "db.info", "db.ping",
)
_CALL = re.compile(r"\bcall\b", re.I)
_CALL_OK = re.compile(r"\s*[{(]|\s+(?:" + "|".join(map(re.escape, READ_PROCEDURES)) + r")\s*\(", re.I)


class FeatureRefused(Forbidden):
    code = "feature_refused"


def refused_feature(cypher: str) -> str | None:
    """Features that read outside the graph, found on the raw text, case-insensitively:
    any "csv" (LOAD CSV reads files or URLs), any "apoc" (APOC loads URLs and runs dynamic
    Cypher), any word CALL not directly followed by a subquery or a read-only built-in."""
    lowered = cypher.lower()
    if "csv" in lowered:
        return "LOAD CSV"
    if "apoc" in lowered:
        return "APOC"
    for match in _CALL.finditer(cypher):
        if not _CALL_OK.match(cypher, match.end()):
            return "CALL of a procedure outside " + ", ".join(READ_PROCEDURES)
    return None


def is_neo4j(driver: neo4j.Driver) -> bool:
    """Neo4j proper, whose EXPLAIN reports the real query type (ArcadeDB's always says "w")."""
    agent = driver.get_server_info().agent or ""
    return agent.startswith("Neo4j/") and "compatible" not in agent


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
        check_read(result.consume())  # a write raises here: the transaction is rolled back
        if fmt is Format.graph:
            return {"nodes": list(nodes.values()), "relationships": list(rels.values())}
        return {"columns": columns, "rows": rows, "count": len(rows)}

    @neo4j.unit_of_work(timeout=timeout)
    def explain(tx: neo4j.ManagedTransaction) -> None:
        check_read(tx.run("EXPLAIN " + query, params).consume())

    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            if is_neo4j(driver):
                session.execute_read(explain)
            return session.execute_read(work)
    except NotARead as exc:
        raise _refused(exc) from None
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
    check_query_text(query, settings.text_limits, "Cypher")
    if found := refused_feature(query):
        raise FeatureRefused(f"/cypher refuses {found}: it reads outside the graph. "
                             f"/ /cypher 不允许 {found}。", {"feature": found})
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
