"""The HTTP JSON API behind ``factcheck serve``: the CLI contract's commands as endpoints.

``Service`` holds one ``Checker`` (models loaded once per process) and runs every piece of model or store
work on one worker thread, so spaCy and torch never see two requests at once, while the HTTP layer stays
concurrent: requests queue for the worker instead of failing, and each gets its own result.
``create_app`` wraps a service in FastAPI; errors become ``{"error": "one line"}`` with a 4xx status
(5xx only for a store or model that cannot be used, or a bug — never with a traceback).

>>> app = create_app(Settings(store=".factcheck/store"))   # then: uvicorn.run(app, port=8000)
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import platform
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from fastapi import FastAPI, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from factcheck.errors import ConfigError, FactcheckError, InputError, ModelError, PermissionDenied, StoreError
from factcheck.settings import Settings
from factcheck.team import UsersFile, require

log = logging.getLogger(__name__)

# A JSON body may be this much larger than the longest text it carries (quoting, other fields).
_JSON_OVERHEAD = 4
_MAX_PAIRS = 1000
_VERSIONED = ("factcheck", "chromadb", "torch", "sentence-transformers", "spacy", "fastapi", "uvicorn")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
# With a users file: what needs no token, and the role action each writing endpoint needs.
_OPEN_PATHS = {"/health", "/openapi.json"}
_ACTIONS = {"/ingest": "add_documents", "/ingest/files": "add_documents"}


# -- request bodies ---------------------------------------------------------------------------------
class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckRequest(_Body):
    """``POST /check``: one article."""

    text: str = Field(description="The article to check (at most the server's max_input_chars characters).")
    top_k: int | None = Field(None, ge=1, le=100, description="Evidence passages per claim (default: the server's).")
    input: str = Field("-", max_length=500, description="A name for the input, echoed as the report's `input`.")
    date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$",
                             description="The article's date (YYYY-MM-DD): anchors relative dates in the claims.")


class MatchRequest(_Body):
    """``POST /match``: an article whose check-worthy claims are matched against earlier reviews."""

    text: str = Field(description="The article (at most the server's max_input_chars characters).")
    top_k: int = Field(3, ge=1, le=50, description="Earlier checks returned per claim.")
    input: str = Field("-", max_length=500, description="A name for the input, echoed in each result.")


class Pair(_Body):
    claim: str
    evidence: str


class StanceRequest(_Body):
    """``POST /stance``: pairs judged as ``factcheck stance`` judges JSON lines."""

    pairs: list[Pair] = Field(min_length=1, max_length=_MAX_PAIRS)


class Document(_Body):
    """One document, with the fields of a ``.jsonl`` line for ``factcheck ingest``."""

    text: str = Field(min_length=1)
    id: str | None = None
    title: str | None = None
    url: str | None = None
    date: str | None = None
    publisher: str | None = None


class IngestRequest(_Body):
    """``POST /ingest``: documents added to the store as one named batch (re-posting a name replaces it)."""

    documents: list[Document] = Field(min_length=1)
    name: str | None = Field(None, max_length=100, description="Batch name (default: a hash of the documents).")


# -- the service ------------------------------------------------------------------------------------
class Service:
    """What the API does, without HTTP: one Checker, one worker thread for models and the store."""

    def __init__(self, settings: Settings, uploads: str | Path | None = None) -> None:
        from factcheck.pipeline import Checker

        self.settings = settings
        self.checker = Checker(settings)
        self.uploads = Path(uploads) if uploads else default_uploads(settings.store)
        self.ready = threading.Event()
        self._archive = None  # the claim-matching archive, opened at the first /match
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="factcheck-models")

    async def run(self, function, *args):
        """Run ``function(*args)`` on the model worker and wait for it without blocking other requests."""
        return await asyncio.wrap_future(self._worker.submit(function, *args))

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)

    def warm_up(self) -> None:
        self.checker.warm_up()
        self.ready.set()
        log.info("factcheck API ready (store %s)", self.settings.store)

    def start_warm_up(self):
        """Queue ``warm_up`` on the worker and return its future (its error, if any, is logged)."""
        future = self._worker.submit(self.warm_up)
        future.add_done_callback(lambda f: f.cancelled() or f.exception() is None
                                 or log.error("warm-up failed: %s", _one_line(str(f.exception()))))
        return future

    def check(self, request: CheckRequest) -> dict:
        from factcheck.pipeline import validate_text

        validate_text(request.text, self.settings.max_input_chars)
        return self.checker.check(request.text, input_name=request.input, top_k=request.top_k,
                                  date=request.date).to_dict()

    def match(self, request: MatchRequest) -> list[dict]:
        """The lines `factcheck match` prints: each check-worthy claim with the earlier reviews matching it."""
        from factcheck.memory.archive import Archive
        from factcheck.pipeline import validate_text

        validate_text(request.text, self.settings.max_input_chars)
        if self._archive is None:
            self._archive = Archive(self.settings)
        claims = [c for c in self.checker.extractor.extract(request.text) if c.checkworthy]
        return [{"input": request.input, "claim_id": claim.id, "text": claim.text,
                 "matches": [m.to_dict() for m in matches]}
                for claim, matches in zip(claims, self._archive.match_claims(claims, k=request.top_k))]

    def stance(self, request: StanceRequest) -> list[dict]:
        from factcheck.stance.pairs import judge_pairs

        total = sum(len(p.claim) + len(p.evidence) for p in request.pairs)
        if total > self.settings.max_input_chars:
            raise _TooLarge(f"The pairs hold {total:,} characters; the API judges up to "
                            f"{self.settings.max_input_chars:,} per request — send fewer pairs at a time")
        return judge_pairs([p.model_dump() for p in request.pairs], judge=self.checker.judge)

    def sources(self) -> list[dict]:
        return [info.__dict__ for info in self.checker.store.sources()]

    def ingest_documents(self, request: IngestRequest) -> dict:
        lines = [json.dumps(d.model_dump(exclude_none=True), ensure_ascii=False) for d in request.documents]
        body = "\n".join(lines) + "\n"
        if len(body.encode("utf-8")) > self.settings.max_file_bytes:
            raise _TooLarge(f"The documents hold more than {self.settings.max_file_bytes:,} bytes — post them in batches")
        name = _safe_name(request.name) if request.name else "api-" + hashlib.sha256(body.encode()).hexdigest()[:12]
        path = self.uploads / f"{name.removesuffix('.jsonl')}.jsonl"
        self.uploads.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        return self._ingest([path])

    def ingest_files(self, files: list[tuple[str, bytes]]) -> dict:
        self.uploads.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, data in files:
            path = self.uploads / _safe_name(name)
            path.write_bytes(data)
            paths.append(path)
        return self._ingest(paths)

    def _ingest(self, paths: list[Path]) -> dict:
        from factcheck.evidence.ingest import Ingester

        summary = Ingester(self.checker.store, self.settings).ingest(paths)
        return summary.to_dict()

    def health(self) -> dict:
        """Whether the models are loaded and the store answers, with versions; cheap, and never queued."""
        from factcheck import resources

        try:
            store = {"location": self.settings.store, "reachable": True, "passages": self.checker.store.count()}
        except FactcheckError as exc:
            store = {"location": self.settings.store, "reachable": False, "error": _one_line(str(exc))}
        except Exception as exc:  # noqa: BLE001 - a health check reports what is wrong rather than failing
            store = {"location": self.settings.store, "reachable": False, "error": _one_line(f"{type(exc).__name__}: {exc}")}
        models = {
            "sentence_encoder": resources.get_sentence_encoder.cache_info().currsize > 0,
            "spacy": resources.get_nlp.cache_info().currsize > 0,
            "stance_model": self.checker.judge.loaded if self.checker.judge.use_model else "off (rules only)",
        }
        versions = {"python": platform.python_version()}
        for package in _VERSIONED:
            with contextlib.suppress(metadata.PackageNotFoundError):
                versions[package] = metadata.version(package)
        ok = self.ready.is_set() and store["reachable"]
        return {"status": "ok" if ok else ("starting" if not self.ready.is_set() else "degraded"),
                "ready": self.ready.is_set(), "models": models, "store": store, "versions": versions}


def default_uploads(store: str) -> Path:
    """Where uploaded documents are kept: beside an embedded store, else under .factcheck/."""
    from factcheck.evidence.store import is_remote

    return Path(".factcheck/uploads") if is_remote(store) else Path(store).resolve().parent / "uploads"


class _TooLarge(InputError):
    """A request over the size the API accepts."""


def _safe_name(name: str) -> str:
    cleaned = _SAFE_NAME.sub("-", Path(name or "").name).strip(".-")
    if not cleaned:
        raise InputError(f"{name!r} is not a usable file name — name the file, e.g. article.md")
    return cleaned[:120]


def _one_line(message: str) -> str:
    lines = str(message).strip().splitlines()
    return lines[0] if lines else str(message)


# -- HTTP ------------------------------------------------------------------------------------------
_STATUS = ((_TooLarge, 413), (ConfigError, 422), (InputError, 422), (StoreError, 503), (ModelError, 503))


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": _one_line(message)}, status_code=status)


def _validation_message(exc: RequestValidationError) -> tuple[int, str]:
    errors = exc.errors()
    first = errors[0] if errors else {}
    if first.get("type") == "json_invalid":
        return 400, f"The body is not valid JSON ({first.get('ctx', {}).get('error', 'parse error')}) — send a JSON object"
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "body"
    kind = first.get("type", "")
    if kind == "missing":
        return 422, f"Missing field `{where}`"
    if kind == "extra_forbidden":
        return 422, f"Unknown field `{where}`"
    return 422, f"Field `{where}`: {first.get('msg', 'invalid value')}"


def create_app(settings: Settings | None = None, *, uploads: str | Path | None = None, service: Service | None = None) -> FastAPI:
    """Build the FastAPI app over a ``Service``; models load (once) when the app starts."""
    settings = settings or Settings()
    service = service or Service(settings, uploads)
    json_limit = _JSON_OVERHEAD * settings.max_input_chars + 65_536
    upload_limit = settings.max_file_bytes * 2 + 65_536

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        # Models load on the worker while the server already answers: /health says "starting" until they
        # are in, and requests that need them queue behind the loading.
        warming = service.start_warm_up()
        yield
        service.close()
        warming.cancel()

    # The HTML docs pages load their scripts from a CDN, which an offline desk cannot reach: only the schema.
    app = FastAPI(title="factcheck", version=_version(), lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Claim verification against your evidence store: the `factcheck` CLI contract over HTTP.")
    app.state.service = service

    @app.middleware("http")
    async def refuse_oversized_bodies(request: Request, call_next):
        length = request.headers.get("content-length")
        limit = upload_limit if request.url.path == "/ingest/files" else json_limit
        if length and length.isdigit() and int(length) > limit:
            return _error(413, f"The request body is {int(length):,} bytes; this endpoint takes up to {limit:,}")
        return await call_next(request)

    users = UsersFile(settings.users) if settings.users else None

    @app.middleware("http")
    async def authenticate(request: Request, call_next):
        """With a users file, every endpoint but /health and the schema wants a user's API token; writes to the
        store want a role that may add documents."""
        if users is None or request.url.path in _OPEN_PATHS:
            return await call_next(request)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        try:
            user = await asyncio.to_thread(users.user_for_token, token.strip()) if scheme.lower() == "bearer" else None
        except FactcheckError as exc:
            log.error("cannot read the users file: %s", _one_line(str(exc)))
            return _error(503, "The server cannot read its users file — see the server log")
        if user is None:
            response = _error(401, "Send your API token as `Authorization: Bearer TOKEN` (an admin issues one with "
                                   "`factcheck users token NAME`)")
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        action = _ACTIONS.get(request.url.path)
        try:
            if action:
                require(user, action)
        except PermissionDenied as exc:
            return _error(403, str(exc))
        request.state.user = user
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        status, message = _validation_message(exc)
        return _error(status, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(FactcheckError)
    async def factcheck_error(request: Request, exc: FactcheckError):
        status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 500)
        return _error(status, str(exc))

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception):
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return _error(500, f"Internal error ({type(exc).__name__}) — see the server log")

    @app.post("/check", summary="Check one article", description="The object `factcheck check --format json` prints for one input.")
    async def check(request: CheckRequest) -> dict:
        if len(request.text) > settings.max_input_chars:  # before queueing for the worker
            raise _TooLarge(f"The text is {len(request.text):,} characters; factcheck checks up to "
                            f"{settings.max_input_chars:,} at a time — split it into articles")
        return await service.run(service.check, request)

    @app.post("/match", summary="Earlier reviews matching an article's claims",
              description="One result per check-worthy claim: the lines `factcheck match` prints.")
    async def match(request: MatchRequest) -> dict:
        if len(request.text) > settings.max_input_chars:
            raise _TooLarge(f"The text is {len(request.text):,} characters; factcheck checks up to "
                            f"{settings.max_input_chars:,} at a time — split it into articles")
        return {"results": await service.run(service.match, request)}

    @app.post("/stance", summary="Judge claim/evidence pairs",
              description="One result per pair, in order: the lines `factcheck stance` prints.")
    async def stance(request: StanceRequest) -> dict:
        return {"results": await service.run(service.stance, request)}

    @app.get("/sources", summary="List the store's documents", description="The lines of `factcheck sources --format json`.")
    async def sources() -> dict:
        return {"sources": await service.run(service.sources)}

    @app.post("/ingest", summary="Add JSON documents", description="The summary `factcheck ingest` prints, as JSON.")
    async def ingest(request: IngestRequest) -> dict:
        return await service.run(service.ingest_documents, request)

    @app.post("/ingest/files", summary="Add uploaded files (.txt, .md, .html, .pdf, .jsonl)",
              description="Multipart upload; the files are kept in the server's uploads folder.")
    async def ingest_files(files: list[UploadFile] = File(...)) -> dict:
        received = []
        for upload in files:
            data = await upload.read(settings.max_file_bytes + 1)
            if len(data) > settings.max_file_bytes:
                raise _TooLarge(f"{upload.filename}: larger than {settings.max_file_bytes:,} bytes")
            received.append((upload.filename or "", data))
        return await service.run(service.ingest_files, received)

    @app.get("/health", summary="Models loaded, store reachable, versions")
    async def health() -> dict:
        return await asyncio.to_thread(service.health)

    return app


def _version() -> str:
    try:
        return metadata.version("factcheck")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, uploads: str | Path | None = None) -> None:
    """Open the store (a missing one is a StoreError now, not at the first request) and serve until stopped."""
    import uvicorn

    from factcheck.evidence.store import EvidenceStore

    EvidenceStore(settings.store, settings.collection).count()
    uvicorn.run(create_app(settings, uploads=uploads), host=host, port=port, log_level="warning",
                access_log=False, server_header=False)
