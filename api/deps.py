"""FastAPI dependencies as `Annotated` aliases: the store, the settings, the SPARQL runner,
the upload lock and the API-key check for writes. All of them read `app.state`, which
`create_app` fills, so nothing here is built at import time.
"""

from __future__ import annotations

import secrets
import threading
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from policykg.api.errors import Unauthorized, WritesDisabled
from policykg.api.settings import Settings
from policykg.queries.store import PolicyStore
from policykg.queries.workers import WorkerPool

API_KEY_HEADER = "X-API-Key"
_api_key_header = APIKeyHeader(
    name=API_KEY_HEADER, auto_error=False,
    description="Required for writes (POST/DELETE /documents); set POLICYKG_API_KEY on the server.",
)


def get_store(request: Request) -> PolicyStore:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_runner(request: Request) -> WorkerPool:
    return request.app.state.runner


def get_write_lock(request: Request) -> threading.Lock:
    return request.app.state.write_lock


def require_api_key(
    settings: Annotated[Settings, Depends(get_settings)],
    key: Annotated[str | None, Security(_api_key_header)] = None,
) -> None:
    """403 when writes are disabled (no key configured), 401 when the key is missing or wrong."""
    if settings.api_key is None or not settings.writes_enabled:  # unset or empty
        raise WritesDisabled(
            "Writes are disabled on this server: no API key is configured. Start it with "
            "POLICYKG_API_KEY=<secret> and send that secret in the X-API-Key header.",
        )
    if not key:
        raise Unauthorized(f"This request changes data and needs the {API_KEY_HEADER} header.")
    expected = settings.api_key.get_secret_value().encode("utf-8")
    if not secrets.compare_digest(key.encode("utf-8"), expected):
        raise Unauthorized(f"The {API_KEY_HEADER} header does not match the server's key.")


StoreDep = Annotated[PolicyStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RunnerDep = Annotated[WorkerPool, Depends(get_runner)]
WriteLockDep = Annotated[threading.Lock, Depends(get_write_lock)]
ApiKeyDep = Annotated[None, Depends(require_api_key)]
