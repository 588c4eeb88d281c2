"""The FastAPI application factory: `create_app(store, settings)`.

Thin on purpose: it stores its arguments on `app.state` (read by `api/deps.py`), installs the
error handlers and the body-size limit, and includes the routers listed in `ROUTERS`.
Nothing is created at import time, so tests build an app over a fresh store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from policykg.api import errors, pages, sparql
from policykg.api.limits import BodySizeLimit
from policykg.api.routes import (
    cypher,
    documents,
    eligibility,
    instruments,
    jurisdictions,
    policies,
    queries,
    validate,
)
from policykg.api.settings import Settings
from policykg.queries.store import PolicyStore
from policykg.queries.workers import GenerationLock, WorkerPool

#: Every router of the API; adding a resource (e.g. /cypher) is one line here.
ROUTERS: tuple[APIRouter, ...] = (
    policies.router,
    jurisdictions.router,
    instruments.router,
    queries.router,
    validate.router,
    documents.router,
    sparql.router,
    cypher.router,
    eligibility.router,
)

DESCRIPTION = (
    "Knowledge graph over Chinese local AI-industry policies: policies, clauses, funding "
    "instruments, jurisdictions and their relations, each fact with its quoted evidence. "
    "JSON by default; `Accept: application/ld+json` (or text/turtle) gives the RDF twin. "
    "Errors are always `{\"error\": {\"code\", \"message\", \"detail\"}}`."
)


def create_app(store: PolicyStore, settings: Settings) -> FastAPI:
    """An API over `store`, configured by `settings`."""
    runner = WorkerPool(store, size=settings.sparql_workers, queue=settings.query_queue,
                        queue_timeout=settings.query_queue_timeout,
                        memory_bytes=settings.query_memory_mb * 2**20)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        runner.close()

    app = FastAPI(
        title="policykg",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc come from api/pages (vendored assets, no CDN)
        redoc_url=None,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.runner = runner
    app.state.write_lock = GenerationLock(runner)  # a write makes the workers' copies stale
    errors.install(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)
    for router in ROUTERS:
        app.include_router(router)
    pages.install(app)
    return app
