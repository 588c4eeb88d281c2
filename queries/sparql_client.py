"""A client for SPARQL 1.1 servers: the SPARQL 1.1 Protocol's query and update operations
(https://www.w3.org/TR/sparql11-protocol/) and the Graph Store HTTP Protocol's GET
(https://www.w3.org/TR/sparql11-http-rdf-update/), answering with pyoxigraph's own result
objects so `remote_store.RemoteStore` hands its callers what the embedded store does.

Query text is sent as the embedded store would run it: the project prefixes it predeclares are
added on one first line (a syntax error's line is moved back over it), and `SERVICE` is refused
before sending, because the server, not us, would open that connection.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from policykg.ontology import vocab

from .binding import code_only
from .store import QuerySyntaxError, QueryTimeoutError, StoreError

#: Seconds for one request when no query time limit applies (a large load's update included).
DEFAULT_TIMEOUT = 600.0
_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
           "application/n-triples;q=0.8")
_RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML}
_GRAPHS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
           "application/n-quads": ox.RdfFormat.N_QUADS}
_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:-])", re.IGNORECASE)
_POSITIONS = (re.compile(r"error at (\d+):(\d+)"), re.compile(r"line (\d+), column (\d+)"))

Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class StoreUnavailableError(StoreError):
    """The remote store cannot be reached, refused the credentials, or answered an error."""


class RemoteServiceError(StoreError):
    """A query for a remote store names SERVICE: the server would fetch from another site."""


def is_remote(spec: object) -> bool:
    """Whether a `--store` / `POLICYKG_STORE` value names a server rather than a directory."""
    return isinstance(spec, str) and spec.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Endpoints:
    """The three endpoints of one dataset: `URL/query`, `URL/update`, `URL/store` (Oxigraph's
    layout) unless `POLICYKG_STORE_QUERY`, `_UPDATE`, `_GRAPHS` give full URLs."""

    query: str
    update: str
    graphs: str

    @classmethod
    def of(cls, url: str, env: Mapping[str, str]) -> Endpoints:
        base = url.rstrip("/")
        return cls(env.get("POLICYKG_STORE_QUERY") or base + "/query",
                   env.get("POLICYKG_STORE_UPDATE") or base + "/update",
                   env.get("POLICYKG_STORE_GRAPHS") or base + "/store")


class SparqlClient:
    """One server's endpoints over one HTTP connection pool (`sibling` for another pool)."""

    def __init__(self, url: str, endpoints: Endpoints, *, auth: tuple[str, str] | None = None,
                 timeout: float = DEFAULT_TIMEOUT):
        self.url = url
        self.endpoints = endpoints
        self._auth = auth
        self._timeout = timeout
        self._client: httpx.Client | None = httpx.Client(auth=auth, timeout=timeout)

    def sibling(self) -> SparqlClient:
        """Same server and credentials, its own connections (safe to use after a fork)."""
        return SparqlClient(self.url, self.endpoints, auth=self._auth, timeout=self._timeout)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = None

    def _send(self, method: str, url: str, *, timeout: float | None = None,
              **kwargs: object) -> httpx.Response:
        if self._client is None:
            raise StoreError("the store is closed")
        try:
            response = self._client.request(method, url, timeout=timeout or self._timeout,
                                            **kwargs)  # type: ignore[arg-type]
        except httpx.TimeoutException as exc:
            raise QueryTimeoutError(f"the store at {self.url} did not answer in time: {exc}") from None
        except httpx.TransportError as exc:
            raise StoreUnavailableError(
                f"cannot reach the store at {self.url}: {exc} / 无法连接存储服务 {self.url}") from None
        if response.status_code in (401, 403):
            raise StoreUnavailableError(
                f"the store at {self.url} refused the request ({response.status_code}): check "
                "POLICYKG_STORE_USER / POLICYKG_STORE_PASSWORD / 存储服务拒绝了凭据")
        return response

    def _failed(self, what: str, response: httpx.Response) -> StoreUnavailableError:
        return StoreUnavailableError(f"the store at {self.url} {what} ({response.status_code}): "
                                     f"{response.text[:500]}")

    def update(self, text: str) -> None:
        """One SPARQL Update request (the server runs it as one transaction: docs/deploy.md)."""
        response = self._send("POST", self.endpoints.update, content=text.encode("utf-8"),
                              headers={"Content-Type": "application/sparql-update"})
        if response.status_code >= 300:
            raise self._failed("refused an update", response)

    def graph(self, name: ox.NamedNode) -> list[ox.Triple]:
        """Every triple of one named graph (Graph Store GET); [] when it does not exist."""
        response = self._send("GET", self.endpoints.graphs, params={"graph": name.value},
                              headers={"Accept": "application/n-triples"})
        if response.status_code == 404:
            return []
        if response.status_code >= 300:
            raise self._failed(f"refused to send graph {name}", response)
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return list(ox.parse(response.content, _GRAPHS.get(media, ox.RdfFormat.N_TRIPLES)))

    def query(self, sparql: str, *, timeout: float | None = None) -> Results:
        """The server's answer to `sparql` (prefixes added, SERVICE refused) as pyoxigraph's
        result objects: SELECT/ASK parsed from SPARQL JSON or XML, CONSTRUCT/DESCRIBE a
        triple iterator over the N-Triples it sent."""
        text, shift = with_prefixes(sparql)
        if _SERVICE.search(_IRIREF.sub(lambda m: " " * len(m.group()), code_only(text))):
            raise RemoteServiceError("SERVICE is refused: the remote store would fetch data from "
                                     "another site / 不接受 SERVICE 查询")
        response = self._send("POST", self.endpoints.query, data={"query": text},
                              timeout=timeout, headers={"Accept": _ACCEPT})
        if response.status_code == 400:
            raise syntax_error(response.text, shift)
        if response.status_code >= 300:
            raise self._failed("failed the query", response)
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media in _RESULTS:
            return ox.parse_query_results(response.content, _RESULTS[media])
        if media in _GRAPHS:
            scratch = ox.Store()
            scratch.bulk_extend(ox.Quad(t.subject, t.predicate, t.object)
                                for t in ox.parse(response.content, _GRAPHS[media]))
            return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
        raise StoreUnavailableError(f"the store at {self.url} answered {media or 'no media type'}")


def with_prefixes(text: str) -> tuple[str, int]:
    """The project prefixes the embedded store predeclares, as PREFIX declarations on ONE first
    line (only those the text does not declare); returns the text and the line shift (0 or 1)."""
    declared = {m.group(1) or "" for m in _DECLARED.finditer(code_only(text))}
    missing = [f"PREFIX {p}: <{ns}>" for p, ns in vocab.PREFIXES.items() if p not in declared]
    if not missing:
        return text, 0
    return " ".join(missing) + "\n" + text, 1


def syntax_error(message: str, shift: int) -> QuerySyntaxError:
    """The server's 400 text; a line/column it names ('error at L:C', 'line L, column C') is
    moved back over the PREFIX line `with_prefixes` added."""
    for pattern in _POSITIONS:
        if match := pattern.search(message):
            return QuerySyntaxError(message.strip(), int(match.group(1)) - shift, int(match.group(2)))
    return QuerySyntaxError(message.strip())
