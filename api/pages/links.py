"""Where each minted IRI is shown: IRI ↔ page URL. One table, used by the templates (links),
by `/id/…` dereferencing (where to send a browser) and by the graph view (node links)."""

from __future__ import annotations

import hashlib
from urllib.parse import quote, unquote

from policykg.ontology.vocab import ID

ID_NS = str(ID)
#: IRI path prefix under `id/` → page route prefix. Others get the generic resource page.
PAGES = {"policy/": "/policy/", "jurisdiction/": "/jurisdiction/", "org/": "/department/"}


def id_path(iri: str) -> str | None:
    """The part of a minted IRI after `…/id/`, None for IRIs minted elsewhere."""
    return iri[len(ID_NS):] if iri.startswith(ID_NS) else None


def page_url(iri: str) -> str:
    """The HTML page about `iri`: its own page for a policy, jurisdiction or department, the
    generic resource page for other minted IRIs (clauses, instruments…), else the IRI itself."""
    path = id_path(iri)
    if path is None:
        return iri
    for prefix, route in PAGES.items():
        rest = path[len(prefix):]
        if path.startswith(prefix) and rest and "/" not in rest:
            return route + quote(unquote(rest), safe="")
    return "/resource/" + quote(unquote(path), safe="/")


def local_url(iri: str) -> str:
    """The server-local `/id/…` address of a minted IRI (what the w3id.org redirect targets)."""
    path = id_path(iri)
    return "/id/" + quote(unquote(path), safe="/") if path is not None else iri


def last_segment(iri: str) -> str:
    """Readable last path segment (department and jurisdiction IRIs end in their name)."""
    return unquote(iri.rstrip("/").rsplit("/", 1)[-1])


def anchor(iri: str) -> str:
    """A stable HTML id for a node shown inside a page (clause, instrument, evidence)."""
    return "n" + hashlib.sha1(iri.encode("utf-8")).hexdigest()[:12]
