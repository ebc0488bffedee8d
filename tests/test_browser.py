"""End to end in a real browser: `streamlit run app.py`, driven by Playwright on Debian's Chromium."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from factcheck.review.store import ReviewStore, article_id

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
DRAFT = "Only Washington says so."
NOTE = "Only Washington and Seoul say so; Pyongyang denies it. Ask the Panel of Experts."


# Whether the element is wholly inside the browser window.
IN_VIEW = """selector => {
  const element = document.querySelector(selector);
  if (!element) return false;
  const box = element.getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
}"""


# True once the app's script is not running (nor about to rerun): a widget opened during a rerun is redrawn closed.
SCRIPT_IDLE = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && !["running", "rerunRequested"].includes(app.dataset.testScriptState);
}"""


def choose(page, combobox, option: str) -> None:
    """Open a select box and pick ``option``, once the app is idle; again if a late rerun closed the list."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(4):
        page.wait_for_function(SCRIPT_IDLE, timeout=120_000)
        combobox.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=15_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"the option {option!r} never showed in an open list")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_app(store: Path, reviews: Path, log_path: Path, **env: str) -> Iterator[str]:
    """A real `streamlit run app.py` on 127.0.0.1 over ``store`` and ``reviews``; yields its URL, then stops it."""
    port = free_port()
    env = {**os.environ, "FACTCHECK_STORE": str(store), "FACTCHECK_REVIEWS": str(reviews),
           "FACTCHECK_REVIEWER": "ana", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", **env}
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, log_path.read_text()
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "streamlit did not start:\n" + log_path.read_text()
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def server(corpus_store, tmp_path):
    """The app over the shared corpus store (read-only) and a fresh review database: (URL, database path)."""
    reviews = tmp_path / "reviews.sqlite3"
    with running_app(corpus_store, reviews, tmp_path / "streamlit.log") as url:
        yield url, reviews


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is not installed — run `make chromium` (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1500, "height": 1250}, device_scale_factor=1)
        page = context.new_page()
        page.set_default_timeout(300_000)  # the first check loads every model
        yield page
        browser.close()


@pytest.mark.browser
@pytest.mark.slow
def test_review_an_article_in_the_browser(server, page, example_article, tmp_path):
    from playwright.sync_api import expect

    url, reviews = server
    page.goto(url)
    page.get_by_role("textbox", name="Paste the article").fill(example_article)
    page.get_by_role("button", name="Check claims").click()

    claims = page.locator("[class*='st-key-claim-c']")
    claims.first.wait_for()
    assert page.locator(".fc-article mark").count() >= 1
    DOCS.mkdir(exist_ok=True)
    headline = example_article.strip().splitlines()[0]
    page.get_by_role("heading", name=headline).first.evaluate("heading => heading.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1000)
    page.screenshot(path=str(DOCS / "screenshot-article.png"))

    # Open the allegation that North Korea supplied weapons (linked to Pyongyang's denial), or failing
    # that the one about artillery shells; flag it and write a note.
    for words in ("supplied weapons", "artillery shells", ""):
        matching = claims.filter(has_text=words)
        if matching.count():
            card = matching.first
            break
    page.set_viewport_size({"width": 1440, "height": 900})  # a laptop screen: the form must open in view
    card.get_by_role("button", name="Review").click()
    form = page.locator(".st-key-review-form")
    form.wait_for()
    page.wait_for_function(IN_VIEW, arg=".st-key-review-form", timeout=30_000)

    # Issue 17, item 1: a flag and a note, then Pin before Save review — the draft is saved with the pin.
    form.get_by_text("Alleged", exact=True).click()
    form.get_by_role("textbox", name="Note").fill(DRAFT)
    page.get_by_role("button", name="Pin", exact=True).first.click()
    page.get_by_text("PINNED").first.wait_for()
    page.get_by_text("Saved by ana").wait_for()
    expect(form.get_by_role("textbox", name="Note")).to_have_value(DRAFT)
    expect(form.get_by_role("radio", name="Alleged")).to_be_checked()
    (review,) = ReviewStore(reviews).for_article(article_id(example_article)).values()
    assert (review.flag, review.note, review.reviewer, len(review.pinned)) == ("alleged", DRAFT, "ana", 1)

    # A change not saved yet is marked, survives a reload (the browser asks first), and saves later.
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    form.get_by_role("textbox", name="Note").fill(NOTE)
    form.get_by_role("textbox", name="Note").press("Tab")
    form.get_by_text("Unsaved changes").wait_for()
    # The guard is armed by the run's page script, which loads in its own frame just after the text shows.
    page.wait_for_function("window.__fcUnsaved === true", timeout=30_000)
    page.reload()
    form = page.locator(".st-key-review-form")
    expect(form.get_by_role("textbox", name="Note")).to_have_value(NOTE, timeout=300_000)
    assert dialogs == ["beforeunload"]
    expect(form.get_by_text("Unsaved changes")).to_be_visible()
    form.get_by_role("button", name="Save review").click()
    page.get_by_text("· version 2").wait_for()
    (review,) = ReviewStore(reviews).for_article(article_id(example_article)).values()
    assert (review.flag, review.note, len(review.pinned)) == ("alleged", NOTE, 1)

    # Relabel a supporting passage: the reviewer's reading leads on the card, the model's beside it.
    column = page.locator("[data-testid='stColumn']").filter(has_text="Supporting (").last
    choose(page, column.get_by_role("combobox", name="Your reading").first, "Refutes")
    page.get_by_text("reviewer: refutes · model: supports").first.wait_for()
    (review,) = ReviewStore(reviews).for_article(article_id(example_article)).values()
    assert list(review.relabels.values()) == ["refutes"] and review.note == NOTE  # the draft went with it

    # A reload loses nothing: the URL names the article and claim, the database holds the review.
    page.reload()
    form = page.locator(".st-key-review-form")
    try:
        expect(form.get_by_role("textbox", name="Note")).to_have_value(NOTE, timeout=300_000)
        expect(form.get_by_role("radio", name="Alleged")).to_be_checked()
    finally:
        page.screenshot(path=str(tmp_path / "after-reload.png"))
    assert dialogs == ["beforeunload"]  # nothing unsaved this time: no question asked
    # Put the review panel at the top of the window for the README's screenshot.
    page.get_by_role("heading", name="Claim ").first.evaluate("heading => heading.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1500)
    page.screenshot(path=str(DOCS / "screenshot-review.png"))

    # The corpus page lists the store's documents.
    page.get_by_text("Corpus", exact=True).click()
    page.get_by_text("Add documents").wait_for()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(DOCS / "screenshot-corpus.png"))


# The desk remembers (issue 18): one claim, stated in other words by a second article.
FIRST = "North Korea has supplied Russia with millions of artillery shells since September 2023."
SECOND = "Pyongyang has shipped several million artillery rounds to Moscow since last September."


@pytest.fixture
def memory_server(corpus_store, tmp_path):
    """The app over a private copy of the corpus store (the archive indexes beside it), with a wide suggestion
    band so the restated claim is offered for confirmation rather than linked outright."""
    from factcheck.memory.matching import MatchThresholds
    from factcheck.training.match_thresholds import write_thresholds

    from .stores import copy_of_corpus_store

    thresholds = tmp_path / "thresholds.json"
    write_thresholds(MatchThresholds(link=0.99, suggest=0.5), {"fitted_on": "set by hand for this test"}, thresholds)
    reviews = tmp_path / "reviews.sqlite3"
    with running_app(copy_of_corpus_store(tmp_path / "store"), reviews, tmp_path / "streamlit.log",
                     FACTCHECK_MATCH_THRESHOLDS=str(thresholds)) as url:
        yield url, reviews


def _check_and_open_first_claim(page, text: str):
    page.get_by_role("textbox", name="Paste the article").fill(text)
    page.get_by_role("button", name="Check claims").click()
    page.locator(".fc-article", has_text=" ".join(text.split()[:4])).wait_for()  # this article's, not the last one's
    card = page.locator("[class*='st-key-claim-c']").first
    card.get_by_role("button", name="Review").click()
    form = page.locator(".st-key-review-form")
    form.wait_for()
    return form


@pytest.mark.browser
@pytest.mark.slow
def test_a_restated_claim_is_suggested_confirmed_and_archived_in_the_browser(memory_server, page, tmp_path):
    url, _ = memory_server
    try:
        _restate_and_archive(page, url)
    finally:
        page.screenshot(path=str(tmp_path / "memory.png"))


def _restate_and_archive(page, url: str) -> None:
    page.goto(url)
    form = _check_and_open_first_claim(page, FIRST)
    form.get_by_text("Refuted", exact=True).click()
    form.get_by_role("textbox", name="Note").fill("wrong year")
    form.get_by_role("button", name="Save review").click()
    page.get_by_text("· version 1").wait_for()

    _check_and_open_first_claim(page, SECOND)
    suggestion = page.locator("[class*='st-key-match-suggested-']").first
    suggestion.get_by_text("Possibly reviewed before").wait_for()
    assert "refuted — by ana" in suggestion.inner_text() and "wrong year" in suggestion.inner_text()
    suggestion.get_by_role("button", name="Same claim").click()
    page.get_by_text("Reviewed before: refuted — by ana").first.wait_for()
    form = page.locator(".st-key-review-form")
    form.get_by_text("Refuted", exact=True).click()
    form.get_by_role("button", name="Save review").click()
    page.get_by_text("· version 1").wait_for()

    page.get_by_text("Archive", exact=True).click()
    page.get_by_text("2 claim(s)").wait_for()
    page.get_by_text("Export as").wait_for()  # the page's last widget: the run is complete, no stale elements
    archived = [label for label in page.get_by_test_id("stMain").locator("[data-testid='stExpander'] summary")
                .all_inner_texts() if " · " in label]  # an archived claim: "verdict · claim"
    assert len(archived) == 2 and all("refuted · " in label for label in archived), archived
    assert [sum(verb in label for label in archived) for verb in ("supplied", "shipped")] == [1, 1]  # one an article
    # The archive's own format choice: the review page's export panel ("Format") may not be gone from the
    # browser yet under load.
    page.get_by_role("radiogroup", name="Export as").get_by_text("ClaimReview JSON-LD", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download ClaimReview JSON-LD").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [(item["@context"], item["@type"]) for item in exported] == [("https://schema.org", "ClaimReview")] * 2
    reviewed = [item["claimReviewed"] for item in exported]
    assert [sum(verb in claim for claim in reviewed) for verb in ("supplied", "shipped")] == [1, 1]
