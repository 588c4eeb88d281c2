"""Credentials from the environment: `POLICYKG_STORE_USER` / `POLICYKG_STORE_PASSWORD` go out as
HTTP basic auth. The server is the real Oxigraph server behind a small real reverse proxy
(FastAPI + httpx on 127.0.0.1) that, like a production proxy, lets only that account through."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import pytest
from api.conftest import serve_app
from fastapi import FastAPI, Request, Response

from policykg.queries.backend import open_store
from policykg.queries.remote_store import StoreUnavailableError

from .conftest import clear

USER, PASSWORD = "policykg", "s3cret-存储"


def guarded(upstream: str) -> FastAPI:
    app = FastAPI()
    expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    @app.api_route("/{path:path}", methods=["GET", "POST"], include_in_schema=False)
    async def forward(path: str, request: Request) -> Response:
        if request.headers.get("authorization") != expected:
            return Response("authentication required", 401, {"WWW-Authenticate": "Basic"})
        async with httpx.AsyncClient(timeout=60) as client:
            answer = await client.request(
                request.method, f"{upstream}/{path}", params=request.query_params,
                content=await request.body(),
                headers={k: v for k, v in request.headers.items()
                         if k.lower() in ("content-type", "accept")})
        return Response(answer.content, answer.status_code,
                        media_type=answer.headers.get("content-type"))

    return app


@pytest.fixture(scope="module")
def proxy(server_url: str) -> Iterator[str]:
    clear(server_url)
    with serve_app(guarded(server_url)) as url:
        yield url


def test_the_environment_credentials_open_the_store(proxy: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKG_STORE_USER", USER)
    monkeypatch.setenv("POLICYKG_STORE_PASSWORD", PASSWORD)
    with open_store(proxy) as store:   # writable: loads the background graph through the proxy
        assert store.query("ASK { ?s a pkg:Jurisdiction }") is True


@pytest.mark.parametrize("password", [None, "wrong"])
def test_missing_or_wrong_credentials_are_a_clear_error(proxy: str, password: str | None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLICYKG_STORE_USER", raising=False)
    monkeypatch.delenv("POLICYKG_STORE_PASSWORD", raising=False)
    if password is not None:
        monkeypatch.setenv("POLICYKG_STORE_USER", USER)
        monkeypatch.setenv("POLICYKG_STORE_PASSWORD", password)
    with pytest.raises(StoreUnavailableError, match="POLICYKG_STORE_USER"):
        open_store(proxy, read_only=True)
