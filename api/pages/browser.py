"""Is this request from a person's browser? Decided on the Accept header alone (RFC 9110
proactive negotiation), never on User-Agent: `text/html` must be preferred over every
machine-readable type the route offers. Clients that send no Accept or `*/*` (curl,
SPARQLWrapper, httpx) get the machine-readable default."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request

from policykg.api.errors import NotAcceptable
from policykg.api.negotiation import choose

HTML = "text/html"


def prefers_html(request: Request, offered: Sequence[str]) -> bool:
    """True when the client ranks text/html above each of `offered` (its first is the default)."""
    accept = request.headers.get("accept")
    if not accept or HTML not in accept.lower():
        return False
    try:
        return choose(accept, (*offered, HTML)) == HTML
    except NotAcceptable:
        return False
