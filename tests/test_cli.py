"""The CLI contract against real stores (on disk and over HTTP): the contract and bad input through a real subprocess, the rest in process."""

from __future__ import annotations

import json
import os
import re
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


class _Result:
    """A CLI run's exit status and streams, the same shape for a subprocess and an in-process run."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def invoke(*args: str, store: str | Path | None = None, stdin: str | None = None) -> _Result:
    """The same command in this process (click's runner): the models this test process has loaded stay loaded,
    so only the contract test and the bad-input table pay for a cold start in a real subprocess. An exception
    that escapes the CLI's error boundary fails the test (a real process would have printed a traceback)."""
    from click.testing import CliRunner

    from factcheck.cli import main

    env = {"FACTCHECK_STORE": str(store)} if store is not None else {}
    result = CliRunner().invoke(main, list(args), input=stdin, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return _Result(result.exit_code, result.stdout, result.stderr)


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
    result = run("check", str(SEED), "--format", "json", "--top-k", "4", "--date", "2024-06-14", store=store)
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
    assert_in_context(report)


def test_check_with_another_stance_model_reads_it_with_its_own_calibration(store, tmp_path):
    """--stance-model points check at a retrained artifact; the calibration.json beside it is the one used."""
    import shutil

    from factcheck.stance.model import DEFAULT_MODEL_DIR

    claim = "Russia vetoed the renewal of the UN Panel of Experts on North Korea in March 2024.\n"
    shipped = run("check", "-", "--format", "json", store=store, stdin=claim)
    assert shipped.returncode == 0, shipped.stderr
    [before] = [c for c in json.loads(shipped.stdout)["claims"] if c["checkworthy"]]
    assert before["verdict"] == "supported", before

    candidate = tmp_path / "candidate"
    shutil.copytree(DEFAULT_MODEL_DIR, candidate)
    calibration = json.loads((candidate / "calibration.json").read_text(encoding="utf-8"))
    calibration["verdict"] |= {"support": 0.999, "refute": 0.999}  # no reading is ever strong enough
    (candidate / "calibration.json").write_text(json.dumps(calibration), encoding="utf-8")
    other = run("check", "-", "--format", "json", "--stance-model", str(candidate), store=store, stdin=claim)
    assert other.returncode == 0, other.stderr
    [after] = [c for c in json.loads(other.stdout)["claims"] if c["checkworthy"]]
    assert after["verdict"] == "not_enough_evidence", after
    # The same model read the same evidence: only the calibration beside it changed the verdict.
    readings = [[(e["stance"], e["score"]) for e in claim["evidence"]] for claim in (before, after)]
    assert readings[0] == readings[1]


def assert_in_context(report: dict) -> None:
    """The fields added for claims in context and fact by fact: standalone, context, opinion, facts, reason."""
    assert report["date"] == "2024-06-14"
    for claim in report["claims"]:
        assert set(claim) >= {"standalone", "context", "opinion", "facts", "reason"}
        for resolved in claim["context"]:
            assert resolved["resolved"] in claim["standalone"]
        if claim["standalone"] != claim["text"]:
            assert claim["context"]
        for fact in claim["facts"]:
            assert fact["role"] in {"core", "quantity", "time", "place", "agent", "attribution"}
            assert fact["verdict"] in {"supported", "refuted", "conflicting", "not_enough_evidence"}
            assert all(0 <= ev["index"] < len(claim["evidence"]) for ev in fact["evidence"])
        if claim["opinion"]:
            assert claim["verdict"] == "not_enough_evidence" and claim["reason"].startswith("opinion")
        elif claim["checkworthy"]:
            assert [f["role"] for f in claim["facts"]][:1] == ["core"] and claim["reason"].startswith(("core", "misleading: "))
    # A weekday in a claim is anchored on the article's date.
    weekday = re.compile(r"\b(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")
    weekdays = [c for c in report["claims"] if c["checkworthy"] and weekday.search(c["text"])]
    assert weekdays and all(re.search(weekday.pattern + r" \d{1,2} \w+ 20\d\d", c["standalone"]) for c in weekdays)


def test_check_many_inputs_in_one_process_with_stdin_and_formats(store, tmp_path):
    other = tmp_path / "note.md"
    other.write_text("# Note\n\nThe UN Security Council adopted resolution 1718 in October 2006.\n", encoding="utf-8")
    result = invoke("check", str(other), "-", "--format", "json", store=store,
                 stdin="Finland joined NATO in April 2023, and Sweden followed in March 2024.")
    assert result.returncode == 0, result.stderr
    reports = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [r["input"] for r in reports] == [str(other), "-"]
    for report in reports:
        assert report["claims"]
    stdin_text = "Finland joined NATO in April 2023, and Sweden followed in March 2024."
    assert_contract(reports[1], stdin_text)

    markdown = invoke("check", str(other), "--format", "markdown", store=store)
    assert markdown.returncode == 0 and markdown.stdout.startswith("# Fact-check report")
    text = invoke("check", str(other), store=store)
    assert text.returncode == 0 and "resolution 1718" in text.stdout


@pytest.mark.parametrize("make_input, expected", [
    (lambda d: ("-", ""), "empty"),
    (lambda d: ("-", "   \n\t "), "empty"),
    (lambda d: ("-", "x" * 5_000_001), "characters"),
    (lambda d: ((d / "blob.txt").write_bytes(bytes(range(256)) * 50) and str(d / "blob.txt"), None), "binary"),
    (lambda d: (str(d / "missing.txt"), None), "no such file"),
    (lambda d: ("-", "Finland joined NATO in April 2023.", "--date", "14/06/2024"), "YYYY-MM-DD"),
])
def test_bad_input_is_one_line_error_no_traceback(store, tmp_path, make_input, expected):
    name, stdin, *options = make_input(tmp_path)
    result = run("check", name, *options, store=store, stdin=stdin)
    assert result.returncode != 0
    err = result.stderr.strip()
    assert expected in err and "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_missing_and_unreachable_store(tmp_path):
    result = invoke("check", str(SEED), store=tmp_path / "nope")
    assert result.returncode != 0 and "run `factcheck ingest" in result.stderr and "Traceback" not in result.stderr
    result = invoke("check", str(SEED), "--store", "http://127.0.0.1:9")
    assert result.returncode != 0 and "Cannot reach the Chroma server" in result.stderr
    assert not (tmp_path / "nope").exists(), "checking must not create a store"


# Every bad option or argument, for every command: (arguments, standard input, exit status, words in the message).
# "{missing}" is a path that does not exist, "{empty}" an existing empty folder.
BAD_OPTIONS = [
    (["check", "--top-k", "0", "-"], "Finland joined NATO in April 2023.", 1, "top_k must be a whole number of at least 1"),
    (["check", "--top-k", "-3", "-"], "Finland joined NATO in April 2023.", 1, "not -3"),
    (["check", "--top-k", "many", "-"], "Finland joined NATO.", 2, "'many' is not a valid integer"),
    (["check", "--format", "xml", "-"], "Finland joined NATO.", 2, "'xml' is not one of"),
    (["check", "--store", "{missing}", "-"], "Finland joined NATO in April 2023.", 1, "No store at"),
    (["check", "--store", "http://", "-"], "Finland joined NATO in April 2023.", 1, "Bad store URL"),
    (["check", "--no-such-option"], None, 2, "No such option"),
    (["sources", "--store", "{missing}"], None, 1, "No store at"),
    (["sources", "--format", "yaml"], None, 2, "'yaml' is not one of"),
    (["remove", "--store", "{missing}"], None, 2, "Missing argument"),
    (["remove", "some-doc", "--store", "{missing}"], None, 1, "No store at"),
    (["ingest", "--store", "{missing}"], None, 2, "Missing argument"),
    (["stance", "{missing}"], None, 1, "cannot read it"),
    (["stance", "{empty}"], None, 2, "is a directory"),
    (["stance", "-"], "not json\n", 1, "line 1: not JSON"),
    (["stance", "-", "--format", "csv"], "", 2, "'csv' is not 'json'"),
    (["check", "-", "--stance-model", "{empty}"], "Finland joined NATO in 2023.\n", 1, "holds no stance model"),
    (["train-stance", "--data", "{missing}"], None, 2, "does not exist"),
    (["train-stance", "--data", "{empty}", "--no-scifact", "--out", "{missing}"], None, 1, "NLI data file"),
    (["train-stance", "--data", "{empty}", "--weight", "snli"], None, 2, "is not SOURCE=NUMBER"),
    (["train-stance", "--data", "{empty}", "--mode", "half"], None, 2, "'half' is not one of"),
    (["train-stance"], None, 2, "Missing option '--data'"),
    (["train-checkworthiness", "--data", "{missing}"], None, 2, "does not exist"),
    (["train-checkworthiness", "--data", "{empty}", "--out", "{missing}"], None, 1, "No debates found"),
    (["train-checkworthiness", "--data", "{empty}", "--seed", "x"], None, 2, "not a valid integer"),
    (["calibrate", "--data", "{missing}"], None, 2, "does not exist"),
    (["calibrate", "--data", "{empty}", "--stance-model", "{empty}"], None, 2, "holds no stance model"),
    (["calibrate", "--data", "{empty}", "--out", "{missing}/c.json"], None, 1, "point --data at the shared data"),
    (["no-such-command"], None, 2, "No such command"),
    (["--no-such-option"], None, 2, "No such option"),
]


@pytest.mark.parametrize("args, stdin, status, expected", BAD_OPTIONS, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_every_bad_option_is_one_line_error(tmp_path, args, stdin, status, expected):
    from click.testing import CliRunner

    from factcheck.cli import main

    (tmp_path / "empty").mkdir()
    paths = {"missing": str(tmp_path / "missing"), "empty": str(tmp_path / "empty")}
    result = CliRunner().invoke(main, [a.format(**paths) for a in args], input=stdin,
                                env={"FACTCHECK_STORE": paths["missing"]})
    assert result.exit_code == status, (result.output, result.exception)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0], result.stderr
    assert not (tmp_path / "missing").exists(), "a failed command must not create what it was pointed at"


def test_settings_refuse_unusable_values_with_a_factcheck_error():
    from factcheck.errors import ConfigError
    from factcheck.settings import Settings

    for bad in ({"top_k": 0}, {"top_k": -3}, {"candidates": 0}, {"per_document": -1}, {"max_input_chars": 0},
                {"top_k": 2.5}, {"top_k": True}, {"stance_precision": "fp8"}, {"date": "2024-13-01"}):
        with pytest.raises(ConfigError, match=next(iter(bad))):
            Settings(**bad)
    assert Settings(top_k=1, per_document=0).top_k == 1


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["sources"], ["sources", "--format", "json"],
                                  ["remove", "analysts-38-north"]])
def test_commands_that_embed_nothing_import_no_model_library(store, tmp_path, args):
    from .stores import copy_of_corpus_store

    target = copy_of_corpus_store(tmp_path / "store") if args[0] == "remove" else store
    env = {**os.environ, "FACTCHECK_STORE": str(target)}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "factcheck.cli", *args], capture_output=True,
                            text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "chromadb" in imported or "--help" in args  # the store really was opened
    assert not imported & {"torch", "sentence_transformers", "transformers", "langchain_huggingface", "spacy"}


def test_ingest_summary_and_skips(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("---\ntitle: A\n---\nThe bridge opened in 1998. It cost 2 billion euros.\n", encoding="utf-8")
    (docs / "b.pdf").write_bytes(b"%PDF-1.4 broken")
    (docs / "c.xlsx").write_bytes(b"PK")
    result = invoke("ingest", str(docs), "--store", str(tmp_path / "s"))
    assert result.returncode == 0, result.stderr
    assert "1 documents from 2 files" in result.stdout
    assert "b.pdf" in result.stdout and "c.xlsx: unsupported format" in result.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("ingest", str(empty), "--store", str(tmp_path / "s2"))
    assert result.returncode != 0 and "No documents were ingested" in result.stderr


def test_stance_command_keeps_order(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    rows = [
        {"claim": "Finland joined NATO in 2021.", "evidence": "Finland became NATO's 31st member on 4 April 2023."},
        {"claim": "Finland joined NATO in April 2023.", "evidence": "Finland became a member of NATO on 4 April 2023."},
        {"claim": "The ECB cut rates in June 2024.", "evidence": "The film won three awards at the festival in Cannes."},
        {"claim": "The ministry supplied rifles to the militia.",
         "evidence": "The ministry denied that it had supplied rifles to the militia."},
    ]
    pairs.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = invoke("stance", str(pairs))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert len(out) == 4
    for item in out:
        assert item["stance"] in {"supports", "refutes", "neutral"}
        assert abs(sum(item["probs"].values()) - 1.0) < 1e-3 and item["score"] == max(item["probs"].values())
    assert [o["stance"] for o in out] == ["refutes", "supports", "neutral", "refutes"]
    assert [o["disputed"] for o in out] == [False, False, False, False]
    assert [o["denial"] for o in out] == [False, False, False, True]  # refuted through the reported denial
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"claim": "x"}\n', encoding="utf-8")
    result = invoke("stance", str(bad))
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
        result = invoke("ingest", str(docs), "--store", url)
        assert result.returncode == 0, result.stderr
        again = invoke("ingest", str(docs), "--store", url)
        assert "1 documents unchanged" in again.stdout
        result = invoke("check", "-", "--store", url, "--format", "json",
                     stdin="Russia vetoed the renewal of the panel of experts in March 2024.")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        evidence = report["claims"][0]["evidence"]
        assert evidence and evidence[0]["doc_id"] == "veto" and evidence[0]["source"] == str(docs / "veto.md")
        listed = invoke("sources", "--store", url, "--format", "json")
        assert json.loads(listed.stdout.splitlines()[0])["doc_id"] == "veto"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
