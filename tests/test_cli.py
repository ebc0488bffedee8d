"""The CLI contract, driven as a real subprocess against real stores (on disk and over HTTP)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .stores import CORPUS, SEED, corpus_store_path

pytestmark = pytest.mark.slow

FACTCHECK = [sys.executable, "-m", "factcheck.cli"]
CLAIM_KEYS = {"id", "text", "sentence", "start", "end", "checkworthy", "checkworthiness", "status", "source",
              "verdict", "confidence", "evidence"}
EVIDENCE_KEYS = {"source", "doc_id", "title", "passage", "sentence", "stance", "score", "similarity"}


def run(*args: str, store: str | Path | None = None, stdin: str | bytes | None = None, timeout: int = 300):
    env = {**os.environ}
    if store is not None:
        env["FACTCHECK_STORE"] = str(store)
    return subprocess.run([*FACTCHECK, *args], input=stdin, capture_output=True, env=env, timeout=timeout,
                          text=not isinstance(stdin, bytes))


def assert_contract(report: dict, text: str) -> None:
    assert set(report) >= {"input", "claims"}
    assert report["claims"], "no claims found"
    for claim in report["claims"]:
        assert set(claim) >= CLAIM_KEYS
        assert 0 <= claim["start"] < claim["end"] <= len(text)
        assert claim["status"] in {"asserted", "attributed", "alleged", "denied", "hedged"}
        assert claim["verdict"] in {"supported", "refuted", "conflicting", "not_enough_evidence"}
        assert 0.0 <= claim["checkworthiness"] <= 1.0 and 0.0 <= claim["confidence"] <= 1.0
        assert claim["source"] is None or isinstance(claim["source"], str)
        for ev in claim["evidence"]:
            assert set(ev) >= EVIDENCE_KEYS
            assert ev["stance"] in {"supports", "refutes", "neutral"}
            assert 0.0 <= ev["score"] <= 1.0 and -1.0 <= ev["similarity"] <= 1.0
            assert ev["sentence"] in ev["passage"]


@pytest.fixture(scope="module")
def store() -> Path:
    return corpus_store_path()


def test_check_json_contract_on_the_example_article(store):
    result = run("check", str(SEED), "--format", "json", "--top-k", "4", store=store)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    text = SEED.read_text(encoding="utf-8")
    assert report["input"] == str(SEED)
    assert_contract(report, text)
    worthy = [c for c in report["claims"] if c["checkworthy"]]
    assert len(worthy) >= 10
    assert all(len(c["evidence"]) == 4 for c in worthy)
    # Evidence comes from the shipped corpus, named as ingested.
    sources = {ev["source"] for c in worthy for ev in c["evidence"]}
    assert all(s.startswith(str(CORPUS)) and s.endswith(".md") for s in sources)
    # Some of the article's claims find evidence that decides them.
    assert sum(c["verdict"] != "not_enough_evidence" for c in worthy) >= len(worthy) // 2


def test_check_many_inputs_in_one_process_with_stdin_and_formats(store, tmp_path):
    other = tmp_path / "note.md"
    other.write_text("# Note\n\nThe UN Security Council adopted resolution 1718 in October 2006.\n", encoding="utf-8")
    result = run("check", str(other), "-", "--format", "json", store=store,
                 stdin="Finland joined NATO in April 2023, and Sweden followed in March 2024.")
    assert result.returncode == 0, result.stderr
    reports = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [r["input"] for r in reports] == [str(other), "-"]
    for report in reports:
        assert report["claims"]
    stdin_text = "Finland joined NATO in April 2023, and Sweden followed in March 2024."
    assert_contract(reports[1], stdin_text)

    markdown = run("check", str(other), "--format", "markdown", store=store)
    assert markdown.returncode == 0 and markdown.stdout.startswith("# Fact-check report")
    text = run("check", str(other), store=store)
    assert text.returncode == 0 and "resolution 1718" in text.stdout


@pytest.mark.parametrize("make_input, expected", [
    (lambda d: ("-", ""), "empty"),
    (lambda d: ("-", "   \n\t "), "empty"),
    (lambda d: ("-", "x" * 5_000_001), "characters"),
    (lambda d: ((d / "blob.txt").write_bytes(bytes(range(256)) * 50) and str(d / "blob.txt"), None), "binary"),
    (lambda d: (str(d / "missing.txt"), None), "no such file"),
])
def test_bad_input_is_one_line_error_no_traceback(store, tmp_path, make_input, expected):
    name, stdin = make_input(tmp_path)
    result = run("check", name, store=store, stdin=stdin)
    assert result.returncode != 0
    err = result.stderr.strip()
    assert expected in err and "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_missing_and_unreachable_store(tmp_path):
    result = run("check", str(SEED), store=tmp_path / "nope")
    assert result.returncode != 0 and "run `factcheck ingest" in result.stderr and "Traceback" not in result.stderr
    result = run("check", str(SEED), "--store", "http://127.0.0.1:9")
    assert result.returncode != 0 and "Cannot reach the Chroma server" in result.stderr
    assert not (tmp_path / "nope").exists(), "checking must not create a store"


def test_ingest_summary_and_skips(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("---\ntitle: A\n---\nThe bridge opened in 1998. It cost 2 billion euros.\n", encoding="utf-8")
    (docs / "b.pdf").write_bytes(b"%PDF-1.4 broken")
    (docs / "c.xlsx").write_bytes(b"PK")
    result = run("ingest", str(docs), "--store", str(tmp_path / "s"))
    assert result.returncode == 0, result.stderr
    assert "1 documents from 2 files" in result.stdout
    assert "b.pdf" in result.stdout and "c.xlsx: unsupported format" in result.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("ingest", str(empty), "--store", str(tmp_path / "s2"))
    assert result.returncode != 0 and "No documents were ingested" in result.stderr


def test_stance_command_keeps_order(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    rows = [
        {"claim": "Finland joined NATO in 2021.", "evidence": "Finland became NATO's 31st member on 4 April 2023."},
        {"claim": "Finland joined NATO in April 2023.", "evidence": "Finland became a member of NATO on 4 April 2023."},
        {"claim": "The ECB cut rates in June 2024.", "evidence": "The film won three awards at the festival in Cannes."},
    ]
    pairs.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = run("stance", str(pairs))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert len(out) == 3
    for item in out:
        assert item["stance"] in {"supports", "refutes", "neutral"}
        assert abs(sum(item["probs"].values()) - 1.0) < 1e-3 and item["score"] == max(item["probs"].values())
    assert [o["stance"] for o in out] == ["refutes", "supports", "neutral"]
    assert [o["disputed"] for o in out] == [False, False, False]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"claim": "x"}\n', encoding="utf-8")
    result = run("stance", str(bad))
    assert result.returncode != 0 and "line 1" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.server
def test_chroma_server_store_over_http(tmp_path):
    port = _free_port()
    chroma = Path(sys.executable).parent / "chroma"
    server = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("chroma run did not start listening within 60 s")
        docs = tmp_path / "docs"
        docs.mkdir()
        (docs / "veto.md").write_text(
            "---\ntitle: Veto\nid: veto\n---\nOn 28 March 2024 Russia vetoed the renewal of the UN panel of experts "
            "on North Korea sanctions. Thirteen members voted in favour and China abstained.\n", encoding="utf-8")
        result = run("ingest", str(docs), "--store", url)
        assert result.returncode == 0, result.stderr
        again = run("ingest", str(docs), "--store", url)
        assert "1 documents unchanged" in again.stdout
        result = run("check", "-", "--store", url, "--format", "json",
                     stdin="Russia vetoed the renewal of the panel of experts in March 2024.")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        evidence = report["claims"][0]["evidence"]
        assert evidence and evidence[0]["doc_id"] == "veto" and evidence[0]["source"] == str(docs / "veto.md")
        listed = run("sources", "--store", url, "--format", "json")
        assert json.loads(listed.stdout.splitlines()[0])["doc_id"] == "veto"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
