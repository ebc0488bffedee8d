"""Drafts, the archive of checked claims, match decisions and evidence snapshots under migrations.

Earlier releases created these tables themselves when first used, so a file may hold any of them
already (and drafts without their public summary): each is created only where it is missing.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "review_drafts" not in existing:
        op.create_table(
            "review_drafts",
            sa.Column("article_id", sa.Text, primary_key=True),
            sa.Column("claim_key", sa.Text, primary_key=True),
            sa.Column("reviewer", sa.Text, primary_key=True),
            sa.Column("flag", sa.Text),
            sa.Column("note", sa.Text, nullable=False, server_default=""),
            sa.Column("public_summary", sa.Text, nullable=False, server_default=""),
            sa.Column("base_version", sa.Integer, nullable=False, server_default="0"),
            sa.Column("updated_at", sa.Text, nullable=False),
        )
    elif "public_summary" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("review_drafts")}:
        op.add_column("review_drafts", sa.Column("public_summary", sa.Text, nullable=False, server_default=""))
    if "archive_claims" not in existing:
        op.create_table(
            "archive_claims",
            sa.Column("claim_id", sa.Text, primary_key=True),
            sa.Column("origin", sa.Text, nullable=False),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("title", sa.Text),
            sa.Column("verdict", sa.Text),
            sa.Column("note", sa.Text, nullable=False, server_default=""),
            sa.Column("reviewer", sa.Text, nullable=False, server_default=""),
            sa.Column("date", sa.Text, nullable=False, server_default=""),
            sa.Column("url", sa.Text),
            sa.Column("source", sa.Text, nullable=False, server_default=""),
            sa.Column("article_id", sa.Text),
            sa.Column("claim_key", sa.Text),
            sa.Column("added_at", sa.Text, nullable=False),
        )
        op.create_index("archive_claims_review", "archive_claims", ["article_id", "claim_key"])
    if "match_decisions" not in existing:
        op.create_table(
            "match_decisions",
            sa.Column("query_key", sa.Text, primary_key=True),
            sa.Column("claim_id", sa.Text, primary_key=True),
            sa.Column("decision", sa.Text, nullable=False),
            sa.Column("query_text", sa.Text, nullable=False),
            sa.Column("reviewer", sa.Text, nullable=False),
            sa.Column("decided_at", sa.Text, nullable=False),
        )
    if "evidence_snapshots" not in existing:
        op.create_table(
            "evidence_snapshots",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("article_id", sa.Text, nullable=False),
            sa.Column("claim_key", sa.Text, nullable=False),
            sa.Column("review_version", sa.Integer, nullable=False),
            sa.Column("saved_at", sa.Text, nullable=False),
            sa.Column("body", sa.Text, nullable=False),
            sqlite_autoincrement=True,
        )
        op.create_index("evidence_snapshots_claim", "evidence_snapshots", ["article_id", "claim_key", "review_version"])
