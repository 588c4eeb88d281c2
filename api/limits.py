"""Request-body size limit as pure ASGI middleware, so every route (uploads, /validate,
POST /sparql) gets the same 413 before anything reads an oversized body into memory.

A declared `Content-Length` over the limit is refused before the body is read; a chunked
body is counted as it arrives and refused as soon as it passes the limit.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policykg.api.errors import PayloadTooLarge, error_response


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The request body is larger than the {limit} byte limit "
        "(POLICYKG_MAX_UPLOAD_BYTES).",
        {"max_bytes": limit},
    )


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            error = _too_large(self.max_bytes)
            response = error_response(413, error.code, error.message, error.detail,
                                      {"Connection": "close"})
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _too_large(self.max_bytes)
            return message

        await self.app(scope, limited_receive, send)
