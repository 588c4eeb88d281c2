"""`/documents`: upload a raw policy text, which is repaired, extracted, converted to RDF,
SHACL-validated and stored as its own named graph — only if it conforms (otherwise 422 with the
report, and the store is untouched). Writes need `X-API-Key`; uploads run one at a time."""

from __future__ import annotations

import re
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field
from rdflib import Graph
from rdflib.namespace import RDF
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from policykg.api.deps import ApiKeyDep, StoreDep, WriteLockDep
from policykg.api.errors import (
    BadRequest,
    DoesNotConform,
    Forbidden,
    NotFound,
    Unprocessable,
    UnsupportedMediaType,
    error_responses,
)
from policykg.api.negotiation import JSON, choose_language
from policykg.api.routes.policies import POLICY_NS
from policykg.api.routes.validate import ValidationOut, report_out
from policykg.loaders.extract import LoaderError, extract_text
from policykg.loaders.manifest import jurisdiction_name
from policykg.loaders.to_rdf import to_graph
from policykg.ontology.validation import LANGUAGES, ValidationReport
from policykg.ontology.vocab import PKG, source_graph_iri
from policykg.queries import sources, writes
from policykg.queries.params import QueryParam, resolve
from policykg.queries.store import PolicyStore

router = APIRouter(tags=["documents"])
_SOURCE = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff .()（）\-]{0,199}$")
TEXT = "text/plain"
MULTIPART = "multipart/form-data"


class StoredDocument(BaseModel):
    iri: str
    id: str
    title: str
    loaded: bool


class UploadOut(BaseModel):
    """What was stored: the named graph, its size, the documents found, the loader's warnings."""

    source: str
    graph: str = Field(description="IRI of the named graph holding this source's triples.")
    triples: int
    replaced: bool = Field(description="True when a source of this name was already loaded.")
    documents: list[StoredDocument]
    warnings: list[str]
    validation: ValidationOut


class SourcesOut(BaseModel):
    sources: list[str]


class RemovedOut(BaseModel):
    source: str
    removed: bool


UPLOAD_EXAMPLE = {
    "source": "nantong_plan.txt",
    "graph": "https://w3id.org/policykg/id/graph/nantong_plan.txt", "triples": 412, "replaced": False,
    "documents": [{"iri": "https://w3id.org/policykg/id/policy/0123456789abcdef", "id": "0123456789abcdef",
                   "title": "关于促进通用人工智能产业创新发展的行动方案", "loaded": True}],
    "warnings": ["nantong_plan.txt: 二、: item 5 is missing"],
    "validation": {"conforms": True, "lang": "zh", "results": []},
}
BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    TEXT: {"schema": {"type": "string"},
           "example": "关于促进通用人工智能产业创新发展的行动方案\n一、总体要求\n……"},
    MULTIPART: {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}, "source": {"type": "string"}}}},
}}}


def _check_source(source: str | None) -> str:
    source = sources.normalise(source or "")
    if not source or not _SOURCE.match(source) or ".." in source:
        raise BadRequest(
            "Give the upload a source name (letters, digits, Chinese, space . _ - ( ), no "
            "slashes), e.g. ?source=nantong_plan.txt.", {"source": source})
    return source


async def _read_upload(request: Request, source: str | None) -> tuple[bytes, str]:
    """The raw text and its source name, from a text/plain body or a multipart `file`."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == TEXT:
        return await request.body(), _check_source(source)
    if content_type != MULTIPART:
        raise UnsupportedMediaType(f"Upload {TEXT} or {MULTIPART}, not {content_type or 'nothing'}.")
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise BadRequest("The multipart body needs a `file` part holding the policy text.")
    named = form.get("source")
    fallback = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return await upload.read(), _check_source(source or (named if isinstance(named, str) else fallback))


def _hints(store: PolicyStore, names: list[str]) -> list[str]:
    """Jurisdiction hints checked against the graph (400 if unknown), as the names the
    loaders expect (the same form as corpus/manifest.yaml after loading)."""
    params = tuple(QueryParam(f"j{i}", "jurisdiction") for i in range(len(names)))
    terms = resolve(store, params, {f"j{i}": name for i, name in enumerate(names)})
    return [jurisdiction_name(term.value) for term in terms.values()]


def stored_documents(graph: Graph) -> list[StoredDocument]:
    """The policy documents in the stored graph, with the IRIs the graph gives them."""
    out = []
    for iri in sorted(set(graph.subjects(RDF.type, PKG.PolicyDocument))):
        text = str(iri)
        out.append(StoredDocument(
            iri=text, id=text[len(POLICY_NS):] if text.startswith(POLICY_NS) else text,
            title=str(graph.value(iri, PKG.title) or ""),
            loaded=bool(graph.value(iri, PKG.loaded) is not None and graph.value(iri, PKG.loaded).toPython()),
        ))
    return out


def ingest(store: PolicyStore, lock: threading.Lock, raw: bytes, source: str,
           hints: list[str], lang: str) -> UploadOut:
    """Extract → RDF → the write path (links, validation, one write), under the write lock;
    nothing is stored on failure."""
    with lock:
        try:
            source = sources.check(source, store.sources())
        except sources.SourceNameError as exc:
            raise BadRequest(str(exc), {"source": source}) from None
        try:
            result = extract_text(raw, source, {"jurisdictions": hints} if hints else None)
        except LoaderError as exc:
            raise BadRequest(f"Cannot read the upload: {exc}") from None
        if not result.documents:
            raise Unprocessable("No policy document was found in the text; nothing was stored.",
                                {"warnings": result.warnings})
        graph = to_graph(result)
        written = writes.apply(store, writes.Change(put={source: graph}), lang)
        report = report_out(ValidationReport(written.conforms, written.findings), lang)
        if not written.conforms:
            raise DoesNotConform(
                "The extracted data does not conform to the SHACL shapes; nothing was stored.",
                report.model_dump())
    documents = stored_documents(graph)
    warnings = list(result.warnings) + [w for doc in result.documents for w in doc.warnings]
    return UploadOut(source=source, graph=str(source_graph_iri(source)), triples=written.triples,
                     replaced=bool(written.replaced), documents=documents,
                     warnings=warnings + written.warnings, validation=report)


@router.get("/documents", response_model=SourcesOut,
            responses={200: {"content": {JSON: {"example": {"sources": ["001_3ed52c5da64ca356.txt"]}}}}})
def list_documents(store: StoreDep) -> SourcesOut:
    """List the loaded source files (one named graph each)."""
    return SourcesOut(sources=store.sources())


@router.post(
    "/documents", status_code=201, response_model=UploadOut, openapi_extra=BODY,
    responses={201: {"content": {JSON: {"example": UPLOAD_EXAMPLE}}},
               **error_responses(400, 401, 403, 413, 415, 422)},
)
async def upload_document(
    request: Request,
    store: StoreDep,
    lock: WriteLockDep,
    _key: ApiKeyDep,
    source: Annotated[str | None, Query(description="Source file name (default: the uploaded file's name).",
                                        examples=["nantong_plan.txt"])] = None,
    jurisdiction: Annotated[list[str] | None, Query(description="Jurisdiction hints (names or IRIs).",
                                                    examples=[["南通市"]])] = None,
) -> UploadOut:
    """Upload a policy text; it is stored as its own graph only if it passes validation."""
    raw, name = await _read_upload(request, source)
    hints = _hints(store, jurisdiction or [])
    lang = choose_language(request.headers.get("accept-language"), LANGUAGES)
    return await run_in_threadpool(ingest, store, lock, raw, name, hints, lang)


@router.delete("/documents/{source}", response_model=RemovedOut,
               responses={200: {"content": {JSON: {"example": {"source": "nantong_plan.txt", "removed": True}}}},
                          **error_responses(401, 403, 404, 422)})
def delete_document(
    request: Request,
    store: StoreDep,
    lock: WriteLockDep,
    _key: ApiKeyDep,
    source: Annotated[str, Path(description="Source file name.", examples=["nantong_plan.txt"])],
) -> RemovedOut:
    """Remove one source file's named graph (re-linking and validating what referred to it)."""
    lang = choose_language(request.headers.get("accept-language"), LANGUAGES)
    source = sources.normalise(source)
    with lock:
        if sources.is_reserved(source):
            raise Forbidden(f"The graph {source!r} is reserved and cannot be deleted. / "
                            f"{source!r} 为系统保留,不可删除。", {"source": source})
        if source not in store.sources():
            raise NotFound(f"No source named {source!r} is loaded.", {"sources": store.sources()})
        written = writes.remove(store, [source], lang)
    if not written.conforms:
        report = report_out(ValidationReport(False, written.findings), lang)
        raise DoesNotConform("Removing this source would leave stored data that does not conform; "
                             "nothing was removed.", report.model_dump())
    return RemovedOut(source=source, removed=True)
