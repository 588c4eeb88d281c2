"""The YASGUI page `/sparql` shows to a browser: one tab per named query of the catalogue, its
parameters bound to their defaults (the same `VALUES` binding the API applies), so each tab runs
as it stands; the project prefixes are predeclared on the endpoint and listed for YASQE."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from policykg.ontology.vocab import PREFIXES
from policykg.queries.binding import bind_values
from policykg.queries.catalogue import load_catalogue
from policykg.queries.params import coerce, resolve
from policykg.queries.store import PolicyStore
from policykg.queries.terms import as_term

from .browser import prefers_html
from .i18n import page_language
from .render import render


def named_tabs(store: PolicyStore, lang: str) -> list[dict[str, str]]:
    tabs = []
    for query in load_catalogue().values():
        text = query.sparql
        try:
            values = coerce(query.params, {})
            terms = {k: as_term(v) for k, v in resolve(store, query.params, values).items()}
            text = bind_values(query.sparql, terms)
        except ValueError:  # a required parameter without default, or nothing to resolve it to
            pass
        tabs.append({"name": query.name, "title": query.describe(lang), "query": text})
    return tabs


#: What /sparql answers machines; a browser must prefer text/html over all of them.
MACHINE_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                 "text/tab-separated-values", "text/turtle", "application/n-triples",
                 "application/ld+json")


def browser_editor(request: Request, store: PolicyStore, query: str | None,
                   update: str | None) -> HTMLResponse | None:
    """The editor page when a browser GETs /sparql (not for updates, which stay refused)."""
    if update is not None or not prefers_html(request, MACHINE_TYPES):
        return None
    return editor_page(request, store, query)


def editor_page(request: Request, store: PolicyStore, query: str | None) -> HTMLResponse:
    """The editor, with `query` (from `/sparql?query=` opened in a browser) as the first tab."""
    return render(request, "sparql.html", {
        "tabs": named_tabs(store, page_language(request)), "initial": query,
        "prefixes": {p: str(ns) for p, ns in PREFIXES.items()},
    })
