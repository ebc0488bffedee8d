"""Alembic's entry point for the review database: runs the migrations on the connection factcheck passes in.

factcheck calls Alembic from ``review/database.py`` with an open connection already inside a transaction
(``config.attributes["connection"]``), so every step of an upgrade commits together or not at all.
"""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run the review migrations through factcheck (review.database.open_database), "
                       "which passes the connection in")
context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
