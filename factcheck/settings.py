"""Settings in one place: name, default and help, shared by the library, the CLI, the app and the docs."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from factcheck.errors import ConfigError

DEFAULT_STORE = ".factcheck/store"
DEFAULT_COLLECTION = "factcheck"
DEFAULT_REVIEWS = ".factcheck/reviews.sqlite3"
# The stance model's arithmetic choices, here so validating a setting never imports the model module.
STANCE_PRECISIONS = ("auto", "fp32", "bf16", "int8")
# Integer settings and the least value each accepts.
_MINIMUMS = {"top_k": 1, "candidates": 1, "per_document": 0, "passage_sentences": 1, "passage_max_chars": 1,
             "max_input_chars": 1, "max_file_bytes": 1}


def _env_store() -> str:
    return os.environ.get("FACTCHECK_STORE", DEFAULT_STORE)


def _env_reviews() -> str:
    return os.environ.get("FACTCHECK_REVIEWS") or DEFAULT_REVIEWS


def _env_users() -> str | None:
    return os.environ.get("FACTCHECK_USERS") or None


def _env_corpus_roots() -> tuple[str, ...]:
    return tuple(part for part in os.environ.get("FACTCHECK_CORPUS_ROOTS", "").split(os.pathsep) if part.strip())


def _env_match_thresholds() -> str | None:
    return os.environ.get("FACTCHECK_MATCH_THRESHOLDS") or None


def _env_stance_model() -> str | None:
    return os.environ.get("FACTCHECK_STANCE_MODEL") or None


def _env_reviewer() -> str:
    if os.environ.get("FACTCHECK_REVIEWER"):
        return os.environ["FACTCHECK_REVIEWER"]
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a passwd entry): the reviewer types one
        return ""


@dataclass
class Settings:
    """How factcheck runs. Every field has a default; the CLI and the app override a few."""

    store: str = field(
        default_factory=_env_store,
        metadata={"help": "Evidence store: a directory (embedded Chroma) or http://HOST:PORT (Chroma server). "
                  "Default .factcheck/store or $FACTCHECK_STORE."},
    )
    reviews: str = field(
        default_factory=_env_reviews,
        metadata={"help": "Review database: a SQLite file (WAL), or postgresql://USER@HOST:PORT/DB for a team's "
                  "server. Default .factcheck/reviews.sqlite3 or $FACTCHECK_REVIEWS."},
    )
    collection: str = field(default=DEFAULT_COLLECTION, metadata={"help": "Chroma collection name."})
    top_k: int = field(default=5, metadata={"help": "Evidence passages retrieved per claim."})
    candidates: int = field(default=20, metadata={"help": "Candidates per retriever before fusion."})
    per_document: int = field(default=2, metadata={
        "help": "Most passages of one document among a claim's evidence (0: no limit), so several sources are heard."})
    hybrid: bool = field(default=True, metadata={"help": "Fuse BM25 with dense retrieval (reciprocal rank fusion)."})
    passage_sentences: int = field(default=3, metadata={"help": "Sentences per stored passage."})
    passage_max_chars: int = field(default=900, metadata={"help": "Longest passage before it is split."})
    max_input_chars: int = field(default=200_000, metadata={"help": "Longest text `check` accepts (characters)."})
    max_file_bytes: int = field(default=50_000_000, metadata={"help": "Largest file `ingest` reads (bytes)."})
    use_stance_model: bool = field(default=True, metadata={"help": "Use the shipped stance model (else rules only)."})
    stance_model: str | None = field(
        default_factory=_env_stance_model,
        metadata={"help": "A stance model folder as `factcheck train-stance` writes it (with its own "
                  "calibration.json, if `factcheck calibrate --stance-model` wrote one there) to use instead of "
                  "the shipped model: for trying a retrained model on your own articles before shipping it. "
                  "Default $FACTCHECK_STANCE_MODEL, else the shipped model."},
    )
    date: str | None = field(default=None, metadata={
        "help": "The article's date (YYYY-MM-DD) that anchors relative dates such as 'on Tuesday'; "
                "default: the date in the article's front matter or dateline, if any."})
    stance_precision: str = field(default="auto", metadata={
        "help": "Stance model arithmetic: auto (bf16 where the CPU runs it natively, else fp32), fp32 (exact), "
                "bf16, or int8 (fastest, but a pair's scores shift slightly with the other pairs in its batch)."})
    match_thresholds: str | None = field(
        default_factory=_env_match_thresholds,
        metadata={"help": "Claim-matching thresholds: a JSON file as `python -m benchmarks.claim_matching "
                  "--write-thresholds` writes it. Default: the fitted file shipped with factcheck, or "
                  "$FACTCHECK_MATCH_THRESHOLDS."},
    )
    reviewer: str = field(
        default_factory=_env_reviewer,
        metadata={"help": "Name saved with each review in single-user mode (with a users file, the signed-in "
                  "user's). Default $FACTCHECK_REVIEWER, else the login name."},
    )
    users: str | None = field(
        default_factory=_env_users,
        metadata={"help": "Users file (YAML: usernames, display names, bcrypt hashes, roles) that turns on sign-in "
                  "and roles in the app and the API; none: single-user mode. Default $FACTCHECK_USERS. "
                  "Managed with `factcheck users`."},
    )
    corpus_roots: tuple[str, ...] = field(
        default_factory=_env_corpus_roots,
        metadata={"help": "Folders on the server whose files the desk may ingest by path (editors only); any other "
                  "path is refused. Default $FACTCHECK_CORPUS_ROOTS (separated by ':'); with a users file and none "
                  "set, ingesting a server folder is off."},
    )

    def __post_init__(self) -> None:
        for name, least in _MINIMUMS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                hint = " (0: no limit)" if least == 0 else ""
                raise ConfigError(f"Setting {name} must be a whole number of at least {least}{hint}, not {value!r}")
        if self.stance_precision not in STANCE_PRECISIONS:
            raise ConfigError(f"Setting stance_precision must be one of {', '.join(STANCE_PRECISIONS)}, "
                              f"not {self.stance_precision!r}")
        if self.date is not None:
            from factcheck.claims.dates import parse_date
            from factcheck.errors import InputError

            try:
                self.date = parse_date(self.date, "Setting date").isoformat()
            except InputError as exc:
                raise ConfigError(str(exc)) from None
        if isinstance(self.store, Path):
            self.store = str(self.store)
        if self.stance_model is not None:
            self.stance_model = str(self.stance_model)
            from factcheck.resources import stance_model_problem

            problem = stance_model_problem(self.stance_model)
            if problem:
                raise ConfigError(f"Setting stance_model: {problem}.")
        if isinstance(self.users, Path):
            self.users = str(self.users)
        if isinstance(self.corpus_roots, (str, Path)):
            self.corpus_roots = (str(self.corpus_roots),)
        self.corpus_roots = tuple(str(root) for root in self.corpus_roots)

    @property
    def uploads(self) -> Path:
        """Where documents uploaded through the app are kept: beside the store (``.factcheck/uploads`` for a
        Chroma server), so their source paths stay valid and adding one again replaces it."""
        base = Path(".factcheck") if self.store.startswith(("http://", "https://")) else Path(self.store).parent
        return base / "uploads"

    @classmethod
    def help_table(cls) -> list[tuple[str, str]]:
        """Return (name, help) for every setting, for docs and `--help`."""
        return [(f.name, f.metadata.get("help", "")) for f in fields(cls)]
