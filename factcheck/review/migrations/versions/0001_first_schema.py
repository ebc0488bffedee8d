"""The first schema: articles, reviews and their history (what the first release created).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("article_id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("first_seen", sa.Text, nullable=False),
        sa.Column("last_opened", sa.Text, nullable=False),
    )
    op.create_table(
        "reviews",
        sa.Column("article_id", sa.Text, primary_key=True),
        sa.Column("claim_key", sa.Text, primary_key=True),
        sa.Column("claim_text", sa.Text, nullable=False, server_default=""),
        sa.Column("flag", sa.Text),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("pinned", sa.Text, nullable=False, server_default="[]"),
        sa.Column("dismissed", sa.Text, nullable=False, server_default="[]"),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "review_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("claim_key", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("flag", sa.Text),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("pinned", sa.Text, nullable=False),
        sa.Column("dismissed", sa.Text, nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("changed_at", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("review_history_claim", "review_history", ["article_id", "claim_key", "version"])
