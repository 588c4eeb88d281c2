"""The human side of policykg: HTML pages (Jinja2, zh/en), the SPARQL editor, offline API docs
and dereferenceable IRIs. `install(app)` adds them to the API application; every page reads the
store through the functions the JSON routes use."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from . import docs_ui, linked_data, routes

STATIC = resources.files("policykg.api.pages") / "static"


def install(app: FastAPI) -> None:
    """Mount /static and include the page, docs and linked-data routes."""
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for router in (docs_ui.router, linked_data.router, routes.router):
        app.include_router(router)
