"""`/docs` (Swagger UI) and `/redoc` (ReDoc) from the vendored assets under /static/vendor, so
the API documentation works with no network. FastAPI's own pages load them from a CDN; the app
is created with `docs_url=None, redoc_url=None` and these routes take their place."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from .render import CSP

router = APIRouter(include_in_schema=False)
VENDOR = "/static/vendor"
FAVICON = "/static/favicon.svg"


def _local_only(response: HTMLResponse) -> HTMLResponse:
    response.headers["Content-Security-Policy"] = CSP
    return response


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    return _local_only(get_swagger_ui_html(
        openapi_url="/openapi.json", title="policykg API",
        swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=FAVICON,
        swagger_ui_parameters={"validatorUrl": None},
    ))


@router.get("/redoc")
def redoc() -> HTMLResponse:
    return _local_only(get_redoc_html(
        openapi_url="/openapi.json", title="policykg API",
        redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js",
        redoc_favicon_url=FAVICON, with_google_fonts=False,
    ))
