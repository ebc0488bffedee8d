"""Local servers for a team desk: a PostgreSQL cluster for the reviews, a Chroma server for the evidence.

``postgres.PostgresCluster`` runs Debian's PostgreSQL under a folder on a free port of 127.0.0.1 (the tests
start one per session the same way); ``team`` starts and stops the whole set-up behind `make team`.
"""
