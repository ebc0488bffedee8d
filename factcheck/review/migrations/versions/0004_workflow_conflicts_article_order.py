"""The claim workflow (assignment, second review) and its history, refused saves, and article order.

``articles.seq`` keeps the order articles were first seen in: SQLite's rowid did that before, and a
server has no rowid.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("seq", sa.Integer))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("UPDATE articles SET seq = rowid")
    else:
        op.execute("UPDATE articles SET seq = ordered.n FROM (SELECT article_id, ROW_NUMBER() OVER "
                   "(ORDER BY first_seen, article_id) AS n FROM articles) AS ordered "
                   "WHERE articles.article_id = ordered.article_id")
    op.create_table(
        "review_conflicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("claim_key", sa.Text, nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("base_version", sa.Integer, nullable=False),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.Column("current_reviewer", sa.Text, nullable=False),
        sa.Column("attempted", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("resolution", sa.Text),
        sa.Column("resolved_at", sa.Text),
        sqlite_autoincrement=True,
    )
    op.create_index("review_conflicts_claim", "review_conflicts", ["article_id", "claim_key", "reviewer"])
    op.create_table(
        "claim_workflow",
        sa.Column("article_id", sa.Text, primary_key=True),
        sa.Column("claim_key", sa.Text, primary_key=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("assignee", sa.Text),
        sa.Column("assigned_by", sa.Text),
        sa.Column("submitted_by", sa.Text),
        sa.Column("signed_off_by", sa.Text),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
    op.create_index("claim_workflow_assignee", "claim_workflow", ["assignee", "state"])
    op.create_table(
        "workflow_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("claim_key", sa.Text, nullable=False),
        sa.Column("from_state", sa.Text, nullable=False),
        sa.Column("to_state", sa.Text, nullable=False),
        sa.Column("assignee", sa.Text),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("workflow_history_claim", "workflow_history", ["article_id", "claim_key"])
