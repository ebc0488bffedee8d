"""The review database's tables as the code reads and writes them (SQLAlchemy Core), at the newest migration.

The migrations in ``review/migrations/versions/`` create and upgrade these tables on SQLite and PostgreSQL
alike; ``tests/test_review_database.py`` checks that a database built by them matches this description.
Lists and mappings (pinned passages, relabels, snapshot bodies, settings) are JSON text, as they always
were, so one file's contents copy to a server row for row.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, Table, Text

metadata = MetaData()


def _autoincrement_id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=True)


articles = Table(
    "articles", metadata,
    Column("article_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("first_seen", Text, nullable=False),
    Column("last_opened", Text, nullable=False),
    Column("lineage", Text),
    Column("seq", Integer),  # the order articles were first seen in (first_seen is to the second)
    Index("articles_lineage", "lineage"),
)

reviews = Table(
    "reviews", metadata,
    Column("article_id", Text, primary_key=True),
    Column("claim_key", Text, primary_key=True),
    Column("claim_text", Text, nullable=False, server_default=""),
    Column("flag", Text),
    Column("note", Text, nullable=False, server_default=""),
    Column("pinned", Text, nullable=False, server_default="[]"),
    Column("dismissed", Text, nullable=False, server_default="[]"),
    Column("reviewer", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("relabels", Text, nullable=False, server_default="{}"),
    Column("public_summary", Text, nullable=False, server_default=""),
)

review_history = Table(
    "review_history", metadata,
    _autoincrement_id(),
    Column("article_id", Text, nullable=False),
    Column("claim_key", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("flag", Text),
    Column("note", Text, nullable=False),
    Column("pinned", Text, nullable=False),
    Column("dismissed", Text, nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("changed_at", Text, nullable=False),
    Column("relabels", Text, nullable=False, server_default="{}"),
    Column("public_summary", Text, nullable=False, server_default=""),
    Column("event", Text, nullable=False, server_default="saved"),
    Index("review_history_claim", "article_id", "claim_key", "version"),
    sqlite_autoincrement=True,
)

review_conflicts = Table(
    "review_conflicts", metadata,
    _autoincrement_id(),
    Column("article_id", Text, nullable=False),
    Column("claim_key", Text, nullable=False),
    Column("reviewer", Text, nullable=False),  # who tried to save
    Column("base_version", Integer, nullable=False),  # the version they had opened
    Column("current_version", Integer, nullable=False),  # the version someone else had saved meanwhile
    Column("current_reviewer", Text, nullable=False),
    Column("attempted", Text, nullable=False),  # the refused review, as JSON
    Column("at", Text, nullable=False),
    Column("resolution", Text),  # NULL until the reviewer overwrites ("overwrote") or reloads ("reloaded")
    Column("resolved_at", Text),
    Index("review_conflicts_claim", "article_id", "claim_key", "reviewer"),
    sqlite_autoincrement=True,
)

labelled_pairs = Table(
    "labelled_pairs", metadata,
    _autoincrement_id(),
    Column("article_id", Text, nullable=False),
    Column("claim_key", Text, nullable=False),
    Column("passage_id", Text, nullable=False),
    Column("claim", Text, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("label", Text),  # NULL: the reviewer withdrew the relabel
    Column("model_stance", Text),
    Column("reviewer", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    sqlite_autoincrement=True,
)

settings = Table(
    "settings", metadata,
    Column("name", Text, primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
)

review_drafts = Table(
    "review_drafts", metadata,
    Column("article_id", Text, primary_key=True),
    Column("claim_key", Text, primary_key=True),
    Column("reviewer", Text, primary_key=True),
    Column("flag", Text),
    Column("note", Text, nullable=False, server_default=""),
    Column("public_summary", Text, nullable=False, server_default=""),
    Column("base_version", Integer, nullable=False, server_default="0"),
    Column("updated_at", Text, nullable=False),
)

archive_claims = Table(
    "archive_claims", metadata,
    Column("claim_id", Text, primary_key=True),
    Column("origin", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("verdict", Text),
    Column("note", Text, nullable=False, server_default=""),
    Column("reviewer", Text, nullable=False, server_default=""),
    Column("date", Text, nullable=False, server_default=""),
    Column("url", Text),
    Column("source", Text, nullable=False, server_default=""),
    Column("article_id", Text),
    Column("claim_key", Text),
    Column("added_at", Text, nullable=False),
    Index("archive_claims_review", "article_id", "claim_key"),
)

match_decisions = Table(
    "match_decisions", metadata,
    Column("query_key", Text, primary_key=True),
    Column("claim_id", Text, primary_key=True),
    Column("decision", Text, nullable=False),
    Column("query_text", Text, nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("decided_at", Text, nullable=False),
)

evidence_snapshots = Table(
    "evidence_snapshots", metadata,
    _autoincrement_id(),
    Column("article_id", Text, nullable=False),
    Column("claim_key", Text, nullable=False),
    Column("review_version", Integer, nullable=False),
    Column("saved_at", Text, nullable=False),
    Column("body", Text, nullable=False),
    Index("evidence_snapshots_claim", "article_id", "claim_key", "review_version"),
    sqlite_autoincrement=True,
)

claim_workflow = Table(
    "claim_workflow", metadata,
    Column("article_id", Text, primary_key=True),
    Column("claim_key", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("assignee", Text),
    Column("assigned_by", Text),
    Column("submitted_by", Text),
    Column("signed_off_by", Text),
    Column("updated_at", Text, nullable=False),
    Index("claim_workflow_assignee", "assignee", "state"),
)

workflow_history = Table(
    "workflow_history", metadata,
    _autoincrement_id(),
    Column("article_id", Text, nullable=False),
    Column("claim_key", Text, nullable=False),
    Column("from_state", Text, nullable=False),
    Column("to_state", Text, nullable=False),
    Column("assignee", Text),
    Column("by", Text, nullable=False),
    Column("at", Text, nullable=False),
    Index("workflow_history_claim", "article_id", "claim_key"),
    sqlite_autoincrement=True,
)

# Every table a desk keeps, parents first: what `factcheck reviews copy` moves and what backups count.
TABLES = (articles, reviews, review_history, review_conflicts, labelled_pairs, settings, review_drafts,
          archive_claims, match_decisions, evidence_snapshots, claim_workflow, workflow_history)
