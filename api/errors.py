"""Typed API errors, their HTTP status in one table, and one JSON error shape everywhere.

Every error response, including FastAPI's request-validation errors and unknown routes, is

    {"error": {"code": "not_found", "message": "…", "detail": …}}

Routes raise the classes below; `install(app)` turns them into responses.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from policykg.queries.catalogue import CatalogueError, UnknownQueryError
from policykg.queries.params import QueryParameterError
from policykg.queries.sparql_client import RemoteServiceError, StoreUnavailableError
from policykg.queries.store import (
    QuerySyntaxError,
    QueryTimeoutError,
    ReadOnlyStoreError,
    StoreError,
    StoreNotFoundError,
)
from policykg.queries.workers import ServiceBlockedError, WorkerCrashedError, WorkersBusyError


class ApiError(Exception):
    """Base of every error the API reports on purpose. `code` is stable and machine-readable."""

    code = "error"

    def __init__(self, message: str, detail: Any = None, headers: dict[str, str] | None = None,
                 zh: str | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.headers = headers or {}
        self.zh = zh   # the message in Chinese; else ZH_BY_CODE's sentence + the English one

    def __reduce__(self) -> tuple[Any, ...]:  # crosses the query-worker pipe whole
        return (type(self), (self.message, self.detail, self.headers, self.zh))


class BadRequest(ApiError):
    code = "bad_request"


class MalformedQuery(BadRequest):
    """The SPARQL text does not parse; `detail` holds line and column."""

    code = "malformed_query"


class MalformedRdf(BadRequest):
    code = "malformed_rdf"


class InvalidParameter(BadRequest):
    code = "invalid_parameter"


class Unauthorized(ApiError):
    code = "unauthorized"


class Forbidden(ApiError):
    code = "forbidden"


class WritesDisabled(Forbidden):
    code = "writes_disabled"


class ReadOnlyEndpoint(Forbidden):
    """SPARQL Update sent to the read-only endpoint."""

    code = "read_only"


class ServiceForbidden(Forbidden):
    """A federated `SERVICE` call, which would let a query make outgoing HTTP requests."""

    code = "service_forbidden"


class NotFound(ApiError):
    code = "not_found"


class NotAcceptable(ApiError):
    code = "not_acceptable"


class PayloadTooLarge(ApiError):
    code = "payload_too_large"


class UnsupportedMediaType(ApiError):
    code = "unsupported_media_type"


class Unprocessable(ApiError):
    code = "unprocessable"


class DoesNotConform(Unprocessable):
    """Uploaded data fails SHACL validation; `detail` is the report."""

    code = "does_not_conform"


class ResultTooLarge(Unprocessable):
    code = "result_too_large"


class QueryTimeout(ApiError):
    code = "query_timeout"


class Busy(ApiError):
    code = "busy"


class QueryFailed(Unprocessable):
    """The query parsed but its evaluation failed (e.g. SERVICE on an unbound variable)."""

    code = "query_failed"


class QueryAborted(Unprocessable):
    """The query ended its worker process (memory cap or an engine crash)."""

    code = "query_aborted"


#: The one place where error types meet HTTP status codes (most specific class wins).
HTTP_STATUS: dict[type[ApiError], int] = {
    BadRequest: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    NotAcceptable: 406,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
    Unprocessable: 422,
    QueryTimeout: 503,
    Busy: 503,
}

#: Other layers' errors that reach the API, translated by `translate`.
FOREIGN_ERRORS: tuple[type[Exception], ...] = (
    StoreError, QueryParameterError, UnknownQueryError, CatalogueError,
)

_CODES_BY_STATUS = {
    404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden",
    413: "payload_too_large", 415: "unsupported_media_type",
}


#: Chinese for errors raised without their own `zh`: one sentence per code; the English message
#: follows it, so nothing specific is lost.
ZH_BY_CODE = {
    "error": "服务器错误。", "bad_request": "请求有误。", "malformed_query": "SPARQL 查询有语法错误。",
    "malformed_rdf": "RDF 数据无法解析。", "invalid_parameter": "参数无效。",
    "invalid_request": "请求参数无效。", "unauthorized": "需要有效的 API 密钥。",
    "forbidden": "禁止此操作。", "writes_disabled": "本服务器未开放写入(未配置 API 密钥)。",
    "read_only": "该端点只读,不接受 SPARQL Update。", "service_forbidden": "不允许 SERVICE 联邦查询。",
    "not_found": "未找到。", "method_not_allowed": "不支持该 HTTP 方法。",
    "not_acceptable": "无法以所请求的格式(Accept)作答。", "payload_too_large": "请求体过大。",
    "unsupported_media_type": "不支持该 Content-Type。", "unprocessable": "无法处理该请求。",
    "does_not_conform": "数据不符合约束(SHACL)。", "result_too_large": "结果行数超过上限。",
    "query_timeout": "查询超时。", "busy": "服务器忙,请稍后再试。", "internal_error": "服务器内部错误。",
    "http_error": "HTTP 错误。",
}
LANGUAGES = ("en", "zh")   # error messages: English unless Accept-Language prefers Chinese


def _language(request: Request) -> str:
    from policykg.api.negotiation import choose_language  # negotiation imports this module

    return choose_language(request.headers.get("accept-language"), LANGUAGES)


def localised(request: Request, code: str, message: str, zh: str | None) -> tuple[str, str]:
    """(language, message) for this request: Accept-Language picks zh or en."""
    if _language(request) == "zh":
        return "zh", zh or f"{ZH_BY_CODE.get(code, ZH_BY_CODE['error'])}{message}"
    return "en", message


def translate(exc: Exception) -> ApiError:
    """The store's and the catalogue's own error types, translated once, here."""
    if isinstance(exc, QueryParameterError):
        return InvalidParameter(str(exc), {"param": exc.param}, zh=exc.zh)
    if isinstance(exc, UnknownQueryError):
        return NotFound(str(exc), {"known": exc.known})
    if isinstance(exc, CatalogueError):
        return ApiError(f"The query catalogue is broken: {exc}")
    if isinstance(exc, QuerySyntaxError):
        return MalformedQuery(
            f"The SPARQL query does not parse: {exc}",
            {"line": exc.line, "column": exc.column, "parser_message": str(exc)},
        )
    if isinstance(exc, ReadOnlyStoreError):
        return ReadOnlyEndpoint(f"Refused: {exc}. This endpoint is read-only: it only answers queries.")
    if isinstance(exc, QueryTimeoutError):
        return QueryTimeout(f"{exc}: it was stopped. Narrow it (more specific patterns, LIMIT) "
                            "or ask the operator to raise POLICYKG_SPARQL_TIMEOUT.")
    if isinstance(exc, WorkersBusyError):
        return Busy(f"The server is busy: {exc}; retry shortly.", headers={"Retry-After": "5"})
    if isinstance(exc, WorkerCrashedError):
        return QueryAborted(f"The query was stopped: {exc}. Narrow it, or ask the operator to "
                            "raise POLICYKG_QUERY_MEMORY_MB.")
    if isinstance(exc, RemoteServiceError):
        return ServiceForbidden("Federated queries (SERVICE) are refused: the store's server "
                                "would make the outgoing connection.")
    if isinstance(exc, StoreUnavailableError):
        return Busy(f"The store's server did not answer as it should: {exc}; retry shortly.",
                    headers={"Retry-After": "5"})
    if isinstance(exc, ServiceBlockedError):
        return ServiceForbidden(
            "Federated queries (SERVICE) are refused: this endpoint makes no outgoing "
            "connections (its query workers cannot open network sockets).")
    if isinstance(exc, StoreNotFoundError):
        return NotFound(str(exc))
    return ApiError(f"Store error: {exc}")


def status_of(error: ApiError) -> int:
    for cls in type(error).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 500


class ErrorBody(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["No policy with id 'x'."])
    detail: Any = None


class ErrorResponse(BaseModel):
    """The one error shape of the API."""

    error: ErrorBody


def error_response(status: int, code: str, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None, *, request: Request | None = None,
                   zh: str | None = None) -> JSONResponse:
    """The one error shape; with `request`, the message in its Accept-Language (zh or en)."""
    headers = dict(headers or {})
    if request is not None:
        lang, message = localised(request, code, message, zh)
        headers["Content-Language"] = lang
        headers["Vary"] = "Accept-Language"
    body = ErrorResponse(error=ErrorBody(code=code, message=message, detail=detail))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting the error shape for these statuses."""
    return {status: {"model": ErrorResponse, "description": "Error"} for status in statuses}


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(status_of(exc), exc.code, exc.message, exc.detail, exc.headers,
                          request=request, zh=exc.zh)


async def _foreign_error(request: Request, exc: Exception) -> JSONResponse:
    return await _api_error(request, translate(exc))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"location": list(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    first = problems[0] if problems else {"location": [], "message": "invalid request"}
    where = ".".join(str(p) for p in first["location"])
    return error_response(422, "invalid_request", f"{where}: {first['message']}", problems,
                          request=request, zh=f"请求参数无效:{where}({first['message']})")


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _CODES_BY_STATUS.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else "HTTP error"
    return error_response(exc.status_code, code, message, None, dict(exc.headers or {}),
                          request=request)


async def _internal_error(request: Request, _exc: Exception) -> JSONResponse:
    """Anything unexpected: Starlette's ServerErrorMiddleware still logs it, then sends this."""
    return error_response(500, "internal_error", "Internal server error; see the server log.",
                          request=request, zh="服务器内部错误,详见服务器日志。")


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the one shape."""
    app.add_exception_handler(Exception, _internal_error)
    app.add_exception_handler(ApiError, _api_error)
    for foreign in FOREIGN_ERRORS:
        app.add_exception_handler(foreign, _foreign_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
