"""The Jinja2 environment of the pages and `render`, which sets the language (and remembers a
`?lang=` switch in a cookie). Templates autoescape; values are shaped in `views`, not here."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from .i18n import COOKIE, LANGUAGES, Words, page_language
from .links import anchor, last_segment, local_url, page_url

TEMPLATES = Jinja2Templates(directory=str(resources.files("policykg.api.pages") / "templates"))


#: Content-Security-Policy of every page: the browser itself refuses to load anything from
#: another host (vendored bundles hard-code a few, e.g. ReDoc's footer logo). Inline scripts and
#: styles are allowed for FastAPI's docs pages and the bundles' injected styles.
CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'; "
       "font-src 'self' data:; frame-ancestors 'self'; form-action 'self'; base-uri 'self'")


def yuan(value: float | None, lang: str) -> str:
    """An amount in yuan as people write it: 200万元 in Chinese, CNY 2,000,000 in English."""
    if value is None:
        return ""
    if lang == "zh":
        if value >= 1e8 and value % 1e6 == 0:
            return f"{value / 1e8:g}亿元"
        if value >= 1e4 and value % 100 == 0:
            return f"{value / 1e4:g}万元"
        return f"{value:g}元"
    return f"CNY {value:,.0f}"


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.4g}%"


def _switch_url(request: Request, lang: str) -> str:
    query = dict(request.query_params.multi_items())
    query["lang"] = lang
    return f"{request.url.path}?{urlencode(query)}"


TEMPLATES.env.globals.update(page_url=page_url, local_url=local_url, last_segment=last_segment,
                             anchor=anchor, percent=percent)
TEMPLATES.env.filters["yuan"] = yuan


def render(request: Request, template: str, context: dict[str, Any],
           status_code: int = 200) -> HTMLResponse:
    lang = page_language(request)
    words = Words(lang)
    response = TEMPLATES.TemplateResponse(request, template, {
        **context, "t": words, "lang": lang, "today": dt.date.today(),
        "switch_url": _switch_url(request, words.other),
    }, status_code=status_code)
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    response.headers["Content-Security-Policy"] = CSP
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie(COOKIE, chosen, max_age=365 * 86400, samesite="lax")
    return response
