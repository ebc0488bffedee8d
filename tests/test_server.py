"""`factcheck serve`: the real server in a subprocess on a free port, called over HTTP like any client would."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from .stores import copy_of_corpus_store
from .test_cli import assert_contract

pytestmark = pytest.mark.slow

# Short articles on unrelated subjects, so a mixed-up response could not pass as the right one.
ARTICLES = {
    "nato.txt": "Finland joined NATO in April 2023. Sweden became a member in March 2024 after Hungary's vote.",
    "un.txt": "The UN Security Council adopted resolution 1718 in October 2006 after North Korea's first nuclear test.",
    "shells.txt": "Officials in Seoul said North Korea has shipped millions of artillery shells to Russia since 2023.",
    "summit.txt": "Kim Jong Un met Vladimir Putin at the Vostochny Cosmodrome in September 2023, state media reported.",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(base: str, method: str, path: str, body: bytes | dict | None = None, headers: dict | None = None,
         timeout: float = 300) -> tuple[int, dict]:
    """One HTTP request; return (status, decoded JSON body) for successes and errors alike."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    if data is not None and len(data) > 500_000:
        return _call_oversized(base, method, path, data, timeout)
    headers = {"Content-Type": "application/json", **(headers or {})} if data is not None else headers or {}
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


PUBLISHED = [
    {"id": "pf-1", "claim": "Finland became a member of NATO in April 2023.", "title": "Finland's NATO accession",
     "rating": "True", "date": "2023-04-05", "url": "https://example.org/checks/finland-nato"},
    {"id": "pf-2", "claim": "The Eiffel Tower was moved to Berlin in 2019.", "title": "Eiffel Tower hoax",
     "rating": "False", "date": "2019-04-01", "url": "https://example.org/checks/eiffel"},
]


def _archive_published_checks(store, reviews) -> None:
    """Published fact-checks imported into the server's review database, as `factcheck archive import` does."""
    from factcheck.memory.archive import Archive
    from factcheck.settings import Settings

    source = reviews.parent / "published.jsonl"
    source.write_text("\n".join(json.dumps(row) for row in PUBLISHED), encoding="utf-8")
    assert Archive(Settings(store=str(store), reviews=str(reviews))).import_file(source) == len(PUBLISHED)


def _call_oversized(base: str, method: str, path: str, data: bytes, timeout: float) -> tuple[int, dict]:
    """A body the server may refuse from its headers alone: it can answer and close before the body is all
    sent, which urllib reports as a broken pipe; the answer is read all the same."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.putrequest(method, path)
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(len(data)))
        conn.endheaders()
        try:
            conn.send(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before it read the body
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One `factcheck serve` process for the module, on a private copy of the corpus store."""
    folder = tmp_path_factory.mktemp("serve")
    store = copy_of_corpus_store(folder / "store")
    reviews = folder / "reviews.sqlite3"
    _archive_published_checks(store, reviews)
    port = _free_port()
    log = open(folder / "server.log", "w+b")  # noqa: SIM115 - read back on failure
    process = subprocess.Popen([sys.executable, "-m", "factcheck.cli", "serve", "--port", str(port), "--store", str(store)],
                               stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "FACTCHECK_REVIEWS": str(reviews)})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    try:
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"factcheck serve exited {process.returncode}: {log.read().decode(errors='replace')}")
            try:
                if call(base, "GET", "/health", timeout=5)[1].get("ready"):
                    break
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("factcheck serve did not become ready in 240 s")
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_health_reports_models_store_and_versions(server):
    status, health = call(server, "GET", "/health")
    assert status == 200 and health["status"] == "ok" and health["ready"]
    assert health["models"]["sentence_encoder"] is True and health["models"]["spacy"] is True
    assert health["models"]["stance_model"] is True
    assert health["store"]["reachable"] and health["store"]["passages"] > 100
    assert {"factcheck", "python", "chromadb", "torch"} <= set(health["versions"])


def test_check_returns_the_cli_json_contract(server):
    text = ARTICLES["nato.txt"]
    status, report = call(server, "POST", "/check", {"text": text, "top_k": 2, "input": "nato.txt"})
    assert status == 200, report
    assert report["input"] == "nato.txt"
    assert_contract(report, text)
    worthy = [c for c in report["claims"] if c["checkworthy"]]
    assert worthy and all(len(c["evidence"]) == 2 for c in worthy)
    assert all(text[c["start"]:c["end"]] for c in report["claims"])


def test_check_takes_the_article_date_for_relative_dates(server):
    text = "The committee will meet again on Tuesday to vote on the harbour budget."
    status, report = call(server, "POST", "/check", {"text": text, "top_k": 1, "date": "2024-06-14"})
    assert status == 200, report
    assert report["date"] == "2024-06-14"
    assert "18 June 2024" in report["claims"][0]["standalone"]


def test_concurrent_checks_each_get_their_own_result(server):
    def check(name: str) -> dict:
        status, report = call(server, "POST", "/check", {"text": ARTICLES[name], "input": name, "top_k": 3})
        assert status == 200, report
        return report

    names = [*ARTICLES, "nato.txt", "un.txt"]  # two articles twice at once, too
    with ThreadPoolExecutor(len(names)) as pool:
        concurrent = list(pool.map(check, names))
    alone = {name: check(name) for name in ARTICLES}
    for name, report in zip(names, concurrent):
        assert report["input"] == name
        assert all(claim["sentence"] in ARTICLES[name] for claim in report["claims"])
        # Identical to the same article checked with nothing else running (timings aside).
        assert report["claims"] == alone[name]["claims"]


def test_stance_judges_pairs_in_order(server):
    pairs = [{"claim": "The bridge opened in 1998.", "evidence": "The city's new bridge opened to traffic in 1998."},
             {"claim": "The bridge opened in 2005.", "evidence": "The city's new bridge opened to traffic in 1998."},
             {"claim": "The bridge opened in 1998.", "evidence": "Wheat prices rose sharply across Europe last year."}]
    status, body = call(server, "POST", "/stance", {"pairs": pairs})
    assert status == 200, body
    results = body["results"]
    assert [r["stance"] for r in results] == ["supports", "refutes", "neutral"]
    for result in results:
        assert {"stance", "score", "probs"} <= set(result) and 0.0 <= result["score"] <= 1.0
    status, again = call(server, "POST", "/stance", {"pairs": pairs[::-1]})
    assert again["results"] == results[::-1]


def test_ingest_documents_and_files_then_list_and_find_them(server):
    _, before = call(server, "GET", "/sources")
    doc_id = f"api-{uuid.uuid4().hex[:8]}"
    document = {"id": doc_id, "title": "Harbour tunnel", "date": "2024-05-02",
                "text": "The Tallinn harbour tunnel carried its first train on 2 May 2024. It cost 1.4 billion euros."}
    status, summary = call(server, "POST", "/ingest", {"documents": [document], "name": "tunnel"})
    assert status == 200, summary
    assert summary["documents"] == 1 and summary["passages_added"] >= 1
    # Multipart upload of one Markdown file.
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"../ferry.md\"\r\n"
            "Content-Type: text/markdown\r\n\r\n---\ntitle: Ferry line\n---\n"
            "The Helsinki ferry line stopped running in January 2022 after 40 years.\r\n"
            f"--{boundary}--\r\n").encode()
    status, summary = call(server, "POST", "/ingest/files", body,
                           headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 200, summary
    assert summary["documents"] == 1 and not summary["skipped"]
    _, after = call(server, "GET", "/sources")
    listed = {s["doc_id"]: s for s in after["sources"]}
    assert len(after["sources"]) == len(before["sources"]) + 2
    assert listed[doc_id]["title"] == "Harbour tunnel"
    assert any(s["title"] == "Ferry line" and s["source"].endswith("/uploads/ferry.md") for s in after["sources"])
    status, report = call(server, "POST", "/check", {"text": "The Tallinn harbour tunnel carried its first train in May 2024."})
    assert status == 200
    assert any(ev["doc_id"] == doc_id for claim in report["claims"] for ev in claim["evidence"])


def test_match_finds_the_earlier_check_of_a_restated_claim(server):
    text = "Finland joined NATO in April 2023. The city library reopened after a two-year renovation."
    status, payload = call(server, "POST", "/match", {"text": text, "input": "restated.txt"})
    assert status == 200, payload
    results = payload["results"]
    assert results and all(r["input"] == "restated.txt" for r in results)
    finland = next(r for r in results if "Finland" in r["text"])
    assert [m for m in finland["matches"] if "Finland" in json.dumps(m)], finland
    assert not any("Eiffel" in json.dumps(r["matches"]) for r in results)


@pytest.mark.parametrize("method, path, body, status, expected", [
    ("POST", "/check", b'{"text": "unterminated', 400, "not valid JSON"),
    ("POST", "/check", {}, 422, "Missing field `text`"),
    ("POST", "/check", {"text": 42}, 422, "Field `text`"),
    ("POST", "/check", {"text": "x" * 200_001}, 413, "200,000"),
    ("POST", "/check", {"text": "   "}, 422, "empty"),
    ("POST", "/check", {"text": "a\x00b"}, 422, "NUL"),
    ("POST", "/check", {"text": "Finland joined NATO.", "top_k": 0}, 422, "Field `top_k`"),
    ("POST", "/check", {"text": "Finland joined NATO.", "date": "14 June"}, 422, "Field `date`"),
    ("POST", "/check", {"text": "Finland joined NATO.", "colour": "red"}, 422, "Unknown field `colour`"),
    ("POST", "/check", b"x" * 1_000_000, 413, "bytes"),
    ("POST", "/match", {"text": "   "}, 422, "empty"),
    ("POST", "/match", {"text": "Finland joined NATO.", "top_k": 0}, 422, "Field `top_k`"),
    ("POST", "/stance", {"pairs": []}, 422, "Field `pairs`"),
    ("POST", "/stance", {"pairs": [{"claim": "A."}]}, 422, "Missing field `pairs.0.evidence`"),
    ("POST", "/stance", {"pairs": [{"claim": "A" * 150_000, "evidence": "B" * 60_000}]}, 413, "characters"),
    ("POST", "/ingest", {"documents": [{"title": "no text"}]}, 422, "Missing field `documents.0.text`"),
    ("POST", "/ingest/files", b"", 422, "Missing field `files`"),
    ("GET", "/nowhere", None, 404, "Not Found"),
    ("GET", "/check", None, 405, "Method Not Allowed"),
])
def test_bad_requests_get_a_one_line_json_error(server, method, path, body, status, expected):
    got, payload = call(server, method, path, body, timeout=60)
    assert got == status, payload
    assert set(payload) == {"error"} and expected in payload["error"]
    assert "\n" not in payload["error"] and "Traceback" not in payload["error"]


def test_openapi_schema_is_valid_and_lists_every_endpoint(server):
    from openapi_spec_validator import validate

    status, schema = call(server, "GET", "/openapi.json")
    assert status == 200
    validate(schema)
    assert {"/check", "/match", "/stance", "/sources", "/ingest", "/ingest/files", "/health"} <= set(schema["paths"])
    # No docs page that would fetch its scripts from a CDN.
    assert call(server, "GET", "/docs")[0] == 404
