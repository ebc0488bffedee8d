"""Relabels, public summaries, labelled pairs, settings, article lineages (the first release's schema 1).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("reviews", "review_history"):
        op.add_column(table, sa.Column("relabels", sa.Text, nullable=False, server_default="{}"))
        op.add_column(table, sa.Column("public_summary", sa.Text, nullable=False, server_default=""))
    op.add_column("review_history", sa.Column("event", sa.Text, nullable=False, server_default="saved"))
    op.add_column("articles", sa.Column("lineage", sa.Text))
    op.execute("UPDATE articles SET lineage = article_id")
    op.create_index("articles_lineage", "articles", ["lineage"])
    op.create_table(
        "labelled_pairs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("claim_key", sa.Text, nullable=False),
        sa.Column("passage_id", sa.Text, nullable=False),
        sa.Column("claim", sa.Text, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("label", sa.Text),  # NULL: the reviewer withdrew the relabel
        sa.Column("model_stance", sa.Text),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "settings",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
    # Reviews of the first schema keep their id-and-span keys: it did not record which of two reviews of one
    # wording was the allegation's and which the denial's, so ReviewStore.for_claims recognises those keys.
