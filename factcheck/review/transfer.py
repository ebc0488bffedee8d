"""Moving a desk between databases: every table of a review database copied into an empty one.

``factcheck reviews copy SRC DST`` moves a desk from its SQLite file to a PostgreSQL server (or back):
articles, reviews and their history, refused saves, labelled pairs, settings, drafts, the archive and
match decisions, evidence snapshots, and the workflow with its history — row for row, ids included, in
one transaction on the destination, read from one snapshot of the source.

>>> copy_reviews(".factcheck/reviews.sqlite3", "postgresql://desk@127.0.0.1:5433/reviews").counts["reviews"]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import func, insert, select, text

from factcheck.errors import ReviewError
from factcheck.review.database import describe, is_server, open_database
from factcheck.review.schema import TABLES

_BATCH = 1000


@dataclass
class CopyInfo:
    """What a copy moved: rows per table, from where to where."""

    source: str
    destination: str
    counts: dict[str, int]

    def describe(self) -> str:
        c = self.counts
        return (f"{c['reviews']} reviews ({c['review_history']} saved versions) of {c['articles']} articles, "
                f"{c['review_drafts']} drafts, {c['archive_claims']} archived claims, {c['evidence_snapshots']} "
                f"evidence snapshots, {c['claim_workflow']} claims in the workflow, {sum(c.values())} rows in all, "
                f"from {self.source} to {self.destination}")

    def to_dict(self) -> dict:
        return asdict(self)


def copy_reviews(source: str | Path, destination: str | Path) -> CopyInfo:
    """Copy every table of the review database at ``source`` into ``destination`` (a path or a URL), which
    must hold no reviews yet (it is created, with the current schema, when missing)."""
    source, destination = str(source), str(destination)
    if not is_server(source) and not Path(source).is_file():
        raise ReviewError(f"No review database at {source} — give the reviews.sqlite3 the desk writes, or its "
                          "postgresql:// URL")
    if source == destination or (not is_server(source) and not is_server(destination)
                                 and Path(source).resolve() == Path(destination).resolve()):
        raise ReviewError(f"{describe(source)} is both the source and the destination — copy to another database")
    src, dst = open_database(source), open_database(destination)
    counts: dict[str, int] = {}
    with src.errors("Reading the desk to copy"), src.read() as reading:
        with dst.errors("Writing the copy"), dst.write() as writing:
            held = {table.name: n for table in TABLES
                    if (n := writing.execute(select(func.count()).select_from(table)).scalar())}
            if held:
                raise ReviewError(f"{describe(destination)} already holds a desk ({held}) — copy into an empty "
                                  "database, or restore a backup there instead")
            for table in TABLES:
                order = list(table.primary_key.columns)
                rows = reading.execute(select(table).order_by(*order)).mappings()
                counts[table.name] = 0
                while batch := [dict(row) for row in rows.fetchmany(_BATCH)]:
                    writing.execute(insert(table), batch)
                    counts[table.name] += len(batch)
            if dst.dialect == "postgresql":  # ids were copied as they were: move each counter past them
                for table in TABLES:
                    if "id" in table.c and table.c.id.autoincrement is True:
                        writing.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
            copied = {table.name: writing.execute(select(func.count()).select_from(table)).scalar()
                      for table in TABLES}
            if copied != counts:
                raise ReviewError(f"The copy in {describe(destination)} does not match the source ({copied} rows "
                                  f"against {counts}) — nothing was written; try again")
    return CopyInfo(describe(source), describe(destination), counts)
