"""The ``factcheck`` command line: a thin layer over the library (see README for the contract)."""

from __future__ import annotations

import json
import logging
import math
import sys
from pathlib import Path

import click

from factcheck import resources  # noqa: F401 - sets the offline environment before any model library loads
from factcheck.errors import FactcheckError, InputError
from factcheck.settings import Settings

STORE_HELP = dict(Settings.help_table())["store"]
REVIEWS_HELP = dict(Settings.help_table())["reviews"]
TRAINING_REVIEWS_HELP = ("A review database (reviews.sqlite3): its reviewers' relabelled passages join the fit as labelled "
                         "pairs, and the output says how the model does on them before and after.")


def _settings(store: str | None, **overrides) -> Settings:
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    if store:
        settings.store = store
    return settings


def _one_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else message


class _UsageError(click.UsageError):
    """A usage error shown as one line (with where to look for help) instead of click's usage block."""

    def show(self, file=None) -> None:
        click.echo(f"Error: {_one_line(self.format_message())}", err=True)


class FactcheckGroup(click.Group):
    """The command group, and the one boundary where errors become one-line messages for every command.

    ``FactcheckError`` (bad input, settings, store or model) exits 1; a bad option or argument exits 2.
    """

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise self._usage(exc) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FactcheckError as exc:
            raise click.ClickException(_one_line(str(exc))) from None
        except click.UsageError as exc:
            raise self._usage(exc) from None

    @staticmethod
    def _usage(exc: click.UsageError) -> _UsageError:
        if isinstance(exc, _UsageError):
            return exc
        where = f" — see `{exc.ctx.command_path} --help`" if exc.ctx is not None else ""
        return _UsageError(_one_line(exc.format_message()).rstrip(".") + where)


class _StderrLog(logging.Handler):
    """Log lines to whatever ``sys.stderr`` is at the time (click's test runner swaps it per call).

    Without ``-v`` only factcheck's own warnings pass: a library's complaint about a broken PDF or
    an empty HTML page is noise before our one-line message, not news.
    """

    verbose = False

    def filter(self, record: logging.LogRecord) -> bool:
        return self.verbose or record.name == "factcheck" or record.name.startswith("factcheck.")

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # noqa: BLE001 - logging must never end the command
            self.handleError(record)


def _configure_logging(verbose: bool) -> None:
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, _StderrLog)), None)
    if handler is None:
        handler = _StderrLog()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    handler.verbose = verbose
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    for noisy in ("chromadb", "httpx", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose else logging.ERROR)


@click.group(cls=FactcheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
@click.version_option(package_name="factcheck")
def main(verbose: bool) -> None:
    """factcheck: find checkable claims in an article and weigh them against your evidence store."""
    _configure_logging(verbose)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--store", help=STORE_HELP)
@click.option("--if-empty", is_flag=True, help="Do nothing if the store already holds passages.")
def ingest(paths: tuple[str, ...], store: str | None, if_empty: bool) -> None:
    """Add documents (files or folders, recursively) to the evidence store."""
    from tqdm import tqdm

    from factcheck.evidence.ingest import Ingester
    from factcheck.evidence.store import EvidenceStore

    settings = _settings(store)
    if if_empty:
        try:
            count = EvidenceStore(settings.store, settings.collection).count()
        except FactcheckError:
            count = 0
        if count:
            click.echo(f"The store at {settings.store} already holds {count} passages; nothing to do.")
            return
    bars: dict[str, tqdm] = {}

    def progress(phase: str, done: int, total: int) -> None:
        bar = bars.get(phase)
        if bar is None:
            bar = bars[phase] = tqdm(total=total, desc=phase, unit="file" if phase == "reading" else "passage",
                                     file=sys.stderr, leave=False, mininterval=0.5, disable=None)
        bar.update(done - bar.n)

    try:
        summary = Ingester(EvidenceStore(settings.store, settings.collection, create=True), settings).ingest(paths, progress)
    finally:
        for bar in bars.values():
            bar.close()
    click.echo(summary.describe())
    if summary.documents == 0:
        raise click.ClickException("No documents were ingested — see the skipped files above")


def _read_input(name: str, settings: Settings) -> tuple[str, str | None]:
    """The input's text, and its date when its front matter gives one."""
    from factcheck.evidence.loaders import decode_text, read_dated_article

    if name == "-":
        return decode_text(sys.stdin.buffer.read(), "standard input"), None
    return read_dated_article(name, max_bytes=settings.max_file_bytes)


def _front_matter_date(value: str | None) -> str | None:
    """A front-matter date, when it is a calendar date (YAML may hold a datetime or free text there)."""
    if value and len(value) >= 10:
        from factcheck.claims.dates import parse_date

        try:
            return parse_date(value[:10]).isoformat()
        except InputError:
            return None
    return None


@main.command()
@click.argument("files", nargs=-1)
@click.option("--store", help=STORE_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--top-k", type=int, help="Evidence passages per claim (default 5).")
@click.option("--rules-only", is_flag=True, help="Judge stance with the explainable rules only, not the stance model.")
@click.option("--fast", is_flag=True, help="Run the stance model in int8: about 2x faster, scores slightly batch-dependent.")
@click.option("--reviews", type=click.Path(dir_okay=False),
              help="A review database: the text report leads with its reviewers' decisions, the model's beside them.")
@click.option("--date", "article_date", metavar="YYYY-MM-DD", help=dict(Settings.help_table())["date"])
@click.option("--stance-model", type=click.Path(file_okay=False), help=dict(Settings.help_table())["stance_model"])
def check(files: tuple[str, ...], store: str | None, fmt: str, top_k: int | None, rules_only: bool, fast: bool,
          reviews: str | None, article_date: str | None, stance_model: str | None) -> None:
    """Check articles (FILE... or - for standard input) against the evidence store."""
    from factcheck.claims.dates import parse_date

    parse_date(article_date, "--date")  # a bad date is a one-line error before any model loads
    settings = _settings(store, top_k=top_k, date=article_date, stance_model=stance_model)
    if rules_only:
        settings.use_stance_model = False
    if fast:
        settings.stance_precision = "int8"
    inputs = list(files) or ["-"]
    texts: list[tuple[str, str, str | None]] = []
    failed = 0
    for name in inputs:  # validate every input before any model loads
        try:
            text, dated = _read_input(name, settings)
            from factcheck.pipeline import validate_text

            texts.append((name, validate_text(text, settings.max_input_chars), dated))
        except FactcheckError as exc:
            click.echo(f"Error: {str(exc).splitlines()[0]}", err=True)
            failed += 1
    if not texts:
        sys.exit(1)
    review_store = _open_reviews(reviews)
    from factcheck.pipeline import Checker

    checker = Checker(settings)
    checker.warm_up()
    from tqdm import tqdm

    for name, text, dated in texts:
        # Progress by stage on stderr, only on a terminal (disable=None): a long article takes minutes.
        with tqdm(total=100, desc=name, unit="%", file=sys.stderr, leave=False, disable=None,
                  bar_format="{desc}: {percentage:3.0f}%{postfix} [{elapsed}]") as bar:
            def progress(stage: str, fraction: float, bar=bar) -> None:
                bar.set_postfix_str(stage, refresh=False)
                bar.update(round(fraction * 100) - bar.n)

            # The date given on the command line wins over the one in a file's front matter.
            report = checker.check(text, input_name=name, progress=progress,
                                   date=settings.date or _front_matter_date(dated))
        if fmt == "json":
            click.echo(report.to_json())
        elif fmt == "markdown":
            click.echo(report.to_markdown())
        else:
            click.echo(report.to_text(_reviews_for(review_store, report)))
    if failed:
        sys.exit(1)


def _open_reviews(path: str | None):
    """The review database of ``--reviews`` (it must exist: a mistyped path should not start an empty one)."""
    if not path:
        return None
    from factcheck.errors import ReviewError
    from factcheck.review.store import ReviewStore, is_server

    if not is_server(path) and not Path(path).is_file():
        raise ReviewError(f"No review database at {path} — give the reviews.sqlite3 the review desk writes "
                          "(or its postgresql:// URL)")
    return ReviewStore(path)


def _reviews_for(review_store, report) -> dict | None:
    """Claim id -> review for one report, following the article's earlier versions."""
    if review_store is None:
        return None
    aid = review_store.find_article(report.text)
    return review_store.for_claims(aid, [r.claim for r in report.claims], report.text) if aid else {}


@main.command()
@click.argument("pairs", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--rules-only", is_flag=True, help="Use the explainable rules only, not the stance model.")
def stance(pairs: str, fmt: str, rules_only: bool) -> None:
    """Judge {"claim", "evidence"} JSON lines; print {"stance", "score", "probs"} per line, in order."""
    from factcheck.stance.pairs import judge_pairs, read_pairs

    records = read_pairs(sys.stdin if pairs == "-" else pairs)
    for result in judge_pairs(records, use_model=not rules_only):
        click.echo(json.dumps(result, ensure_ascii=False))


@main.command()
@click.option("--store", help=STORE_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def sources(store: str | None, fmt: str) -> None:
    """List the documents in the store with their passage counts."""
    from factcheck.evidence.store import EvidenceStore

    settings = _settings(store)
    for info in EvidenceStore(settings.store, settings.collection).sources():
        if fmt == "json":
            click.echo(json.dumps(info.__dict__, ensure_ascii=False))
        else:
            click.echo(f"{info.passages:5d}  {info.doc_id}  {info.title or ''}")


@main.command()
@click.argument("doc_id")
@click.option("--store", help=STORE_HELP)
def remove(doc_id: str, store: str | None) -> None:
    """Remove one document (by doc_id or source path) from the store."""
    from factcheck.evidence.store import EvidenceStore

    settings = _settings(store)
    removed = EvidenceStore(settings.store, settings.collection).remove_source(doc_id)
    click.echo(f"Removed {removed} passages of {doc_id}.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (127.0.0.1: this machine only; the API has no sign-in yet).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--store", help=STORE_HELP)
@click.option("--uploads", type=click.Path(file_okay=False),
              help="Folder for files posted to /ingest (default: uploads/ beside an embedded store).")
@click.option("--reviews", help=REVIEWS_HELP)
def serve(host: str, port: int, store: str | None, uploads: str | None, reviews: str | None) -> None:
    """Serve the HTTP JSON API (POST /check, /match, /stance, /ingest; GET /sources, /health; schema at /openapi.json)."""
    from factcheck.server import serve as run_server

    settings = _settings(store, reviews=reviews)
    click.echo(f"factcheck API on http://{host}:{port} (store {settings.store}); loading models…", err=True)
    run_server(settings, host=host, port=port, uploads=uploads)


@main.command("train-stance")
@click.option("--data", type=click.Path(exists=True, file_okay=False), required=True, help="The nli/ data folder.")
@click.option("--out", type=click.Path(file_okay=False), default="factcheck/models/stance", show_default=True)
@click.option("--seed", type=int, default=13, show_default=True)
@click.option("--epochs", type=float, help="Passes over the training mix.")
@click.option("--max-pairs", type=int, help="Cap on training pairs (for a quick run).")
@click.option("--max-steps", type=int, help="Stop after this many optimiser steps (the model card gives the shipped run's).")
@click.option("--time-budget-min", type=float, help="Shorten the run to end within this many minutes.")
@click.option("--mode", type=click.Choice(["full", "lora"]), default="full", show_default=True,
              help="Fine-tune every layer (fp16 deltas, ~21 MB, the shipped model) or train low-rank adapters (~2 MB).")
@click.option("--precision", type=click.Choice(["auto", "bf16", "fp32"]), default="auto", show_default=True,
              help="bf16 autocast where the CPU/GPU runs it natively (auto), or plain fp32.")
@click.option("--scifact", type=click.Path(file_okay=False),
              help="The scifact/ data folder: after the NLI stage, train on SciFact's training quarter (default: "
                   "the scifact/ folder beside --data, when there is one).")
@click.option("--no-scifact", is_flag=True, help="Skip the SciFact domain stage (and, with --adapt, its refresher).")
@click.option("--init", type=click.Path(exists=True, file_okay=False),
              help="Start from this stance artifact instead of running the NLI stage (then only the SciFact stage runs).")
@click.option("--reviews", type=click.Path(dir_okay=False), help=TRAINING_REVIEWS_HELP)
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True,
              help="Where to train: auto uses CUDA when present.")
@click.option("--weight", "weights", multiple=True, metavar="SOURCE=W",
              help="Override one NLI source's sampling weight, e.g. snli_devtest_esnli=0.6 (repeatable).")
@click.option("--adapt", is_flag=True,
              help="Then run the in-domain stage: pairs generated from reference documents, CAD and replayed pairs "
                   "(with --init, the SciFact stage is skipped unless --scifact is given), then a SciFact "
                   "refresher pass (not with --no-scifact).")
@click.option("--corpus", type=click.Path(file_okay=False), default="corpus", show_default=True,
              help="Reference documents the in-domain stage generates pairs from.")
@click.option("--cad", type=click.Path(file_okay=False),
              help="The nli-extra/cad_snli/ folder (default: beside --data).")
@click.option("--checkpoint-dir", type=click.Path(file_okay=False),
              help="Keep the in-domain stage resumable: its mix, settings and a checkpoint every --checkpoint-every steps.")
@click.option("--checkpoint-every", type=int, default=200, show_default=True)
@click.option("--resume", type=click.Path(exists=True, file_okay=False),
              help="Continue the in-domain run checkpointed in this folder; it writes where that run was going.")
def train_stance(data: str, out: str, seed: int, epochs: float | None, max_pairs: int | None,
                 max_steps: int | None, time_budget_min: float | None, mode: str, precision: str,
                 scifact: str | None, no_scifact: bool, init: str | None, device: str, weights: tuple[str, ...],
                 adapt: bool, corpus: str, cad: str | None, checkpoint_dir: str | None, checkpoint_every: int,
                 resume: str | None, reviews: str | None) -> None:
    """Train the stance cross-encoder: NLI pairs, then SciFact's training quarter (CPU is fine; about an hour)."""
    from factcheck.training.stance import adapt_options, scifact_stage_dir
    from factcheck.training.stance import train_stance as train

    try:
        skip = no_scifact or resume is not None or (adapt and init is not None and not scifact)
        scifact_dir = scifact_stage_dir(Path(data), Path(scifact) if scifact else None, skip=skip, mode=mode)
        adapt_kwargs = adapt_options(
            Path(data), corpus=Path(corpus), cad=Path(cad) if cad else None,
            checkpoint_dir=Path(checkpoint_dir) if checkpoint_dir else None, checkpoint_every=checkpoint_every,
            max_steps=max_steps, refresh_scifact=not no_scifact) if adapt else None
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    source_weights = {}
    for weight in weights:
        source, _, value = weight.partition("=")
        try:
            source_weights[source] = float(value)
        except ValueError:
            raise click.BadParameter(f"{weight!r} is not SOURCE=NUMBER", param_hint="--weight") from None
    pairs = _review_pairs(reviews)
    kwargs = {"seed": seed, "max_steps": max_steps, "time_budget_min": time_budget_min,
              "mode": mode, "precision": precision, "scifact_dir": scifact_dir, "device": device,
              "source_weights": source_weights or None,
              "init": Path(init) if init else None, "adapt": adapt_kwargs,
              "resume": Path(resume) if resume else None,
              # Progress on stderr whatever the log level: the run takes most of an hour.
              "log": lambda message: click.echo(message, err=True)}
    if max_pairs is not None:
        kwargs["max_pairs"] = max_pairs
    if epochs is not None:
        kwargs["epochs"] = epochs
    if pairs:
        from factcheck.review.learning import train_stance_with_reviews

        metrics = train_stance_with_reviews(Path(data), Path(out), pairs, **kwargs)
    else:
        metrics = train(Path(data), Path(out), **kwargs)
    click.echo(json.dumps(metrics, indent=2, default=str))


def _review_pairs(path: str | None) -> list:
    """The labelled pairs of ``--reviews``, read before anything trains (an unusable database fails first)."""
    if not path:
        return []
    from factcheck.review.learning import labelled_pairs

    return labelled_pairs(path)


@main.command("train-checkworthiness")
@click.option("--data", type=click.Path(exists=True, file_okay=False), required=True, help="The checkthat2019/ folder.")
@click.option("--out", type=click.Path(file_okay=False), default="factcheck/models/checkworthiness", show_default=True)
@click.option("--seed", type=int, default=13, show_default=True)
def train_checkworthiness(data: str, out: str, seed: int) -> None:
    """Train the check-worthiness model on CLEF CheckThat! 2019 and report leave-debates-out MAP."""
    from factcheck.training.checkworthiness import train_checkworthiness as train

    metrics = train(Path(data), Path(out), seed=seed)
    click.echo(json.dumps(metrics, indent=2, default=str))


@main.command()
@click.option("--data", type=click.Path(exists=True, file_okay=False), default="../shared/data", show_default=True,
              help="The shared data folder (nli/ and scifact/).")
@click.option("--scifact-store", type=click.Path(file_okay=False), default=".factcheck/scifact-store", show_default=True,
              help="Where to build (once) the SciFact store used for the verdict fit.")
@click.option("--out", type=click.Path(dir_okay=False),
              help="Where to write it [default: calibration.json in --stance-model's folder, else "
                   "factcheck/models/stance/calibration.json].")
@click.option("--rules-only", is_flag=True, help="Calibrate the rules without the stance model.")
@click.option("--reviews", type=click.Path(dir_okay=False), help=TRAINING_REVIEWS_HELP)
@click.option("--stance-model", type=click.Path(file_okay=False),
              help="Calibrate this stance model folder (a retrained candidate) instead of the shipped one.")
def calibrate(data: str, scifact_store: str, out: str | None, rules_only: bool, reviews: str | None,
              stance_model: str | None) -> None:
    """Fit the stance-combination and verdict thresholds on labelled data (NLI held-out split, SciFact)."""
    from factcheck.resources import CALIBRATION_FILE, stance_model_problem
    from factcheck.review.learning import stance_items
    from factcheck.training.calibration import calibrate as run_calibration

    model_dir = Path(stance_model) if stance_model else None
    problem = stance_model_problem(model_dir) if model_dir is not None else None
    if problem:
        raise click.UsageError(f"--stance-model {problem}.")
    target = Path(out) if out else (model_dir / "calibration.json" if model_dir else CALIBRATION_FILE)
    items = stance_items(_review_pairs(reviews))
    written = run_calibration(Path(data), Path(scifact_store), target, use_model=not rules_only, reviews=items,
                              model_dir=model_dir)
    click.echo(json.dumps(written, indent=2))




@main.command()
@click.argument("files", nargs=-1)
@click.option("--store", help=STORE_HELP)
@click.option("--reviews", help=REVIEWS_HELP)
@click.option("--top-k", type=int, default=3, show_default=True, help="Earlier checks shown per claim.")
def match(files: tuple[str, ...], store: str | None, reviews: str | None, top_k: int) -> None:
    """Print the earlier reviews matching each check-worthy claim of FILE... (or -): one JSON line a claim."""
    from factcheck.claims.extract import ClaimExtractor
    from factcheck.memory.archive import Archive
    from factcheck.pipeline import validate_text

    settings = _settings(store, reviews=reviews)
    texts = [(name, validate_text(_read_input(name, settings)[0], settings.max_input_chars)) for name in files or ["-"]]
    archive = Archive(settings)
    extractor = ClaimExtractor()
    for name, text in texts:
        claims = [c for c in extractor.extract(text) if c.checkworthy]
        for claim, matches in zip(claims, archive.match_claims(claims, k=top_k)):
            click.echo(json.dumps({"input": name, "claim_id": claim.id, "text": claim.text,
                                   "matches": [m.to_dict() for m in matches]}, ensure_ascii=False))


@main.group()
def archive() -> None:
    """The archive of checked claims that new claims are matched against."""


@archive.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--store", help=STORE_HELP)
@click.option("--reviews", help=REVIEWS_HELP)
def archive_import(file: str, store: str | None, reviews: str | None) -> None:
    """Import published fact-checks (JSON Lines: {"id", "claim", "title", "rating", "date", "url", ...})."""
    from factcheck.memory.archive import Archive

    count = Archive(_settings(store, reviews=reviews)).import_file(file)
    click.echo(f"Imported {count} fact-check(s) from {file}")


@main.group("reviews")
def reviews_group() -> None:
    """Reviewed claims across every article."""


REVIEW_DATABASE_HELP = dict(Settings.help_table())["reviews"]


@reviews_group.command("backup")
@click.argument("path")
@click.option("--reviews", "database", help=REVIEW_DATABASE_HELP)
def reviews_backup(path: str, database: str | None) -> None:
    """Write a consistent copy of the review database to PATH (a file, or a folder for a dated file).

    Safe while the app is in use: the copy is one moment's snapshot.
    """
    from factcheck.review.backup import backup_reviews

    info = backup_reviews(database or Settings().reviews, path)
    click.echo(f"Backed up {info.describe()}")


@reviews_group.command("restore")
@click.argument("path")
@click.option("--reviews", "database", help=REVIEW_DATABASE_HELP)
def reviews_restore(path: str, database: str | None) -> None:
    """Replace the review database with the backup at PATH (the replaced one is kept beside it)."""
    from factcheck.review.backup import restore_reviews

    info = restore_reviews(path, database or Settings().reviews)
    click.echo(f"Restored {info.describe()}")


@reviews_group.command("copy")
@click.argument("source")
@click.argument("destination")
def reviews_copy(source: str, destination: str) -> None:
    """Copy the whole desk at SOURCE into DESTINATION, an empty database (a SQLite file or postgresql:// URL).

    Reviews, their history, drafts, the archive, evidence snapshots, the workflow and settings: nothing is left
    behind. Move a desk to a team's PostgreSQL server with it, or back to a file.
    """
    from factcheck.review.transfer import copy_reviews

    info = copy_reviews(source, destination)
    click.echo(f"Copied {info.describe()}")


@reviews_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "claimreview"]), default="json", show_default=True)
@click.option("--reviews", help=REVIEWS_HELP)
@click.option("--flag", help="Only claims with this flag (or imported rating).")
@click.option("--reviewer", help="Only claims this reviewer judged.")
@click.option("--since", help="Only claims reviewed on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Only claims reviewed on or before this date (YYYY-MM-DD).")
@click.option("--source", help="Only claims whose article name (or imported file) contains this.")
@click.option("--all", "everything", is_flag=True, help="Include imported fact-checks, not only reviews made here.")
@click.option("--include-non-final", is_flag=True,
              help="With a users file (a team desk): also reviews not signed off as final yet.")
def reviews_export(fmt: str, reviews: str | None, flag: str | None, reviewer: str | None, since: str | None,
                   until: str | None, source: str | None, everything: bool, include_non_final: bool) -> None:
    """Print the archived reviews as CSV, JSON or ClaimReview JSON-LD.

    On a team desk ($FACTCHECK_USERS set) only verdicts a second person signed off leave, unless
    --include-non-final.
    """
    from factcheck.memory.archive import Archive, ArchiveFilter
    from factcheck.memory.export import archive_export

    settings = _settings(None, reviews=reviews)
    filters = ArchiveFilter(flag=flag, reviewer=reviewer, since=since, until=until, source=source,
                            origin=None if everything else "review")
    claims = Archive(settings).list(filters)
    if settings.users and not include_non_final:
        from factcheck.review.store import ReviewStore
        from factcheck.review.workflow import Workflow
        from factcheck.team.actions import exportable_archive

        final = exportable_archive(claims, Workflow(ReviewStore(settings.reviews)))
        if claims and not final:
            raise InputError("Nothing to export: no selected review is final yet — sign them off on the desk, or "
                             "pass --include-non-final")
        claims = final
    click.echo(archive_export(claims, fmt), nl=False)
    if fmt != "csv":
        click.echo()


# -- users of the team desk -------------------------------------------------------------------------
USERS_HELP = dict(Settings.help_table())["users"]


def _users_file(path: str | None):
    from factcheck.team.users import USERS_ENV, UsersFile

    location = path or Settings().users
    if not location:
        raise click.UsageError(f"No users file: pass --users PATH or set {USERS_ENV}")
    return UsersFile(location)


def _new_password(from_stdin: bool) -> str:
    """The password, from one line of stdin or typed twice at a hidden prompt; never echoed or logged."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        if not password:
            raise click.UsageError("--password-stdin read no password (give it as one line on stdin)")
        return password
    return click.prompt("Password", hide_input=True, confirmation_prompt="Repeat the password")


@main.group("users")
def users_group() -> None:
    """Who may sign in to the desk and the API, and their roles (reviewer, editor, admin)."""


@users_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["reviewer", "editor", "admin"]), required=True,
              help="reviewer: flag, note, pin; editor: also assign, sign off, export, publish, manage the corpus; "
                   "admin: also users.")
@click.option("--name", "display_name", help="The name the desk shows (default: the username).")
@click.option("--password-stdin", is_flag=True, help="Read the password from one line of stdin instead of a prompt.")
@click.option("--users", "users_path", metavar="PATH", help=USERS_HELP)
def users_add(username: str, role: str, display_name: str | None, password_stdin: bool, users_path: str | None) -> None:
    """Add USERNAME with a role; the password is asked for (twice) and kept only as a bcrypt hash."""
    users = _users_file(users_path)
    users.check_new(username)  # before asking for a password
    user = users.add(username, _new_password(password_stdin), role, name=display_name)
    click.echo(f"Added {user.username} ({user.name}) as {user.role} to {users.path}")


@users_group.command("remove")
@click.argument("username")
@click.option("--users", "users_path", metavar="PATH", help=USERS_HELP)
def users_remove(username: str, users_path: str | None) -> None:
    """Remove USERNAME (they can no longer sign in; their reviews keep their name)."""
    users = _users_file(users_path)
    user = users.remove(username)
    click.echo(f"Removed {user.username} ({user.role}) from {users.path}")


def _sign_in_throttle(reviews: str | None, must_exist: bool):
    """The failed sign-ins kept in the desk's review database (``--reviews``, else $FACTCHECK_REVIEWS).

    None when that database does not exist yet and ``must_exist`` is false: nobody can be locked in it.
    """
    from factcheck.review.store import is_server
    from factcheck.team.throttle import SignInThrottle

    location = reviews or Settings().reviews
    if not must_exist and not is_server(location) and not Path(location).is_file():
        return None
    return SignInThrottle(_open_reviews(location))


@users_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--users", "users_path", metavar="PATH", help=USERS_HELP)
@click.option("--reviews", help=REVIEWS_HELP + " Failed sign-ins are counted there.")
def users_list(fmt: str, users_path: str | None, reviews: str | None) -> None:
    """The users: username, role, display name, whether they hold an API token (never a hash), and whether
    too many failed sign-ins lock them out now."""
    users = _users_file(users_path)
    throttle = _sign_in_throttle(reviews, must_exist=False)
    for user in users.users():
        token = users.has_token(user.username)
        locked = throttle.locked_for(user.username) if throttle else 0.0
        if fmt == "json":
            click.echo(json.dumps({**user.to_dict(), "api_token": token, "locked_s": round(locked)},
                                  ensure_ascii=False))
        else:
            click.echo(f"{user.username}\t{user.role}\t{user.name}" + ("\tAPI token" if token else "")
                       + (f"\tlocked for {math.ceil(locked / 60)} min" if locked else ""))


@users_group.command("unlock")
@click.argument("username")
@click.option("--users", "users_path", metavar="PATH", help=USERS_HELP)
@click.option("--reviews", help=REVIEWS_HELP + " Failed sign-ins are counted there.")
def users_unlock(username: str, users_path: str | None, reviews: str | None) -> None:
    """Let USERNAME sign in again at once after too many failed sign-ins, and forget the failures."""
    _users_file(users_path).user(username)
    if _sign_in_throttle(reviews, must_exist=True).unlock(username):
        click.echo(f"Unlocked {username}: they can sign in again")
    else:
        click.echo(f"{username} was not locked; their failed sign-ins, if any, are forgotten")


@users_group.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from one line of stdin.")
@click.option("--users", "users_path", metavar="PATH", help=USERS_HELP)
def users_passwd(username: str, password_stdin: bool, users_path: str | None) -> None:
    """Set a new password for USERNAME."""
    users = _users_file(users_path)
    users.user(username)  # an unknown name is refused before a password is asked for
    users.set_password(username, _new_password(password_stdin))
    click.echo(f"Changed the password of {username}")


@users_group.command("token")
@click.argument("username")
@click.option("--users", "users_path", metavar="PATH", help=USERS_HELP)
def users_token(username: str, users_path: str | None) -> None:
    """Issue an API token for USERNAME (replacing their old one) and print it once: only its hash is kept.

    Send it to `factcheck serve` as `Authorization: Bearer TOKEN`.
    """
    users = _users_file(users_path)
    click.echo(users.issue_token(username))


@main.group()
def team() -> None:
    """The team set-up on 127.0.0.1: a Chroma server, a PostgreSQL server and the review desk (`make team`)."""


@team.command("start")
@click.option("--root", type=click.Path(file_okay=False), default=".factcheck", show_default=True,
              help="Folder for the servers' data, pids, logs and env file.")
@click.option("--app-port", type=int, help="Port of the review desk (default 8501, or a free one if taken).")
@click.option("--corpus", type=click.Path(exists=True), help="Ingest these documents when the store is empty.")
def team_start(root: str, app_port: int | None, corpus: str | None) -> None:
    """Start the three servers (those already running are kept) and print where they answer."""
    from factcheck.servers.team import start_team

    click.echo(start_team(Path(root), app_port=app_port, corpus=Path(corpus) if corpus else None).describe())


@team.command("stop")
@click.option("--root", type=click.Path(file_okay=False), default=".factcheck", show_default=True)
def team_stop(root: str) -> None:
    """Stop the review desk, the Chroma server and the PostgreSQL server started by `factcheck team start`."""
    from factcheck.servers.team import stop_team

    stopped = stop_team(Path(root))
    click.echo(f"Stopped {', '.join(stopped)}" if stopped else "Nothing was running")


if __name__ == "__main__":  # pragma: no cover
    main()
