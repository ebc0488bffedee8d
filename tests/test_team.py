"""`make team`: a Chroma server, a PostgreSQL server and the desk start on 127.0.0.1, answer, and stop."""

from __future__ import annotations

import shutil
import socket
import tempfile
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from factcheck.review.store import Review, ReviewStore
from factcheck.servers.postgres import postgres_available


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.server
def test_team_start_runs_the_three_servers_and_team_stop_stops_them():
    if not postgres_available():
        pytest.skip("PostgreSQL's server programs are not installed — apt-get install postgresql")
    # Not tmp_path: the PostgreSQL server runs as the postgres user when we are root, and must reach the folder.
    root = Path(tempfile.mkdtemp(prefix="factcheck-team-"))
    root.chmod(0o755)
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "budget.md").write_text("---\ntitle: The council's budget vote\n---\nThe city council approved the "
                                      "budget on 18 June 2024 in a 7-2 vote.\n", encoding="utf-8")
    runner = CliRunner()
    try:
        started = runner.invoke(main, ["team", "start", "--root", str(root), "--corpus", str(corpus)])
        assert started.exit_code == 0, started.output
        env = dict(line.removeprefix("export ").split("=", 1) for line in (root / "team" / "env").read_text().splitlines())
        store, reviews = env["FACTCHECK_STORE"].strip("'"), env["FACTCHECK_REVIEWS"].strip("'")
        assert store.startswith("http://127.0.0.1:") and reviews.startswith("postgresql://")
        assert (root / "team" / "env").stat().st_mode & 0o077 == 0  # the URL's password stays with its owner
        assert reviews.split("@")[0].split(":")[-1] not in started.output  # nor is it printed
        app_url = started.output.split("Review desk: ")[1].split()[0]
        with urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=10) as answer:
            assert answer.status == 200
        import chromadb

        host, port = store.removeprefix("http://").split(":")
        assert chromadb.HttpClient(host=host, port=int(port)).heartbeat() > 0  # the Chroma server answers
        from factcheck import EvidenceStore

        # The corpus went into the server's store, BM25 index and all.
        server_store = EvidenceStore(store)
        assert [s.title for s in server_store.sources()] == ["The council's budget vote"]
        passages = server_store.count()
        assert passages > 0 and len(server_store.lexical) == passages
        saved = ReviewStore(reviews).save(Review("a1", "k1", flag="supported"), reviewer="ana")
        assert ReviewStore(reviews).get("a1", "k1") == saved
        # Running servers are kept; a store that holds documents is not ingested into again.
        again = runner.invoke(main, ["team", "start", "--root", str(root), "--corpus", str(corpus)])
        assert again.exit_code == 0 and app_url in again.output and store in again.output
        assert EvidenceStore(store).count() == passages
        ports = [int(store.rsplit(":", 1)[1]), int(app_url.rsplit(":", 1)[1]),
                 int(reviews.split("@127.0.0.1:")[1].split("/")[0])]
        stopped = runner.invoke(main, ["team", "stop", "--root", str(root)])
        assert stopped.exit_code == 0 and stopped.output.strip() == "Stopped app, chroma, postgres"
        assert not any(_answers(port) for port in ports)
        assert not list((root / "team").glob("*.pid"))
    finally:
        runner.invoke(main, ["team", "stop", "--root", str(root)])
        shutil.rmtree(root, ignore_errors=True)
