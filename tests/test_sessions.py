"""Several users at once: five browser sessions check different articles on one app process.

Each session must get its own results, one session's review must not appear in another's, and the
server must stay responsive while the checks run (memory and latency: benchmarks/sessions.py).
"""

from __future__ import annotations

import shutil
import time
import urllib.request

import pytest

from factcheck.review.store import ReviewStore, article_id

from .test_browser import CHROMIUM_ARGS, server  # noqa: F401 - the real `streamlit run app.py` fixture

SESSIONS = 5
# Five short articles on different subjects, each with a headline the page shows as its title.
ARTICLES = [
    f"{headline}\n\n{body}" for headline, body in [
        ("Rail link reopens", "The Khasan–Rajin railway carried its first coal shipment in 2014, officials said."),
        ("Satellite launch", "North Korea says it put a reconnaissance satellite into orbit in November 2023."),
        ("Council veto", "Russia vetoed the renewal of the UN panel of experts in March 2024."),
        ("Summit in Vladivostok", "Kim Jong Un travelled to Russia by armoured train in September 2023."),
        ("Nuclear test", "North Korea carried out its first nuclear test in October 2006, the agency reported."),
    ]
]
NOTE = "Session one's private note."


@pytest.mark.browser
@pytest.mark.slow
def test_five_sessions_at_once_get_their_own_results(server):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    url, reviews = server
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is not installed — run `make chromium` (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        pages = []
        for text in ARTICLES:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(600_000)  # the first check loads every model; the machine is shared
            page.goto(url)
            page.get_by_role("textbox", name="Paste the article").fill(text)
            pages.append(page)
        for page in pages:  # all five click before any result is back
            page.get_by_role("button", name="Check claims").click()

        started = time.monotonic()
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=60) as response:
            assert response.status == 200
        assert time.monotonic() - started < 30, "the server stopped answering while the checks ran"

        for page, text in zip(pages, ARTICLES):
            page.locator("[class*='st-key-claim-c']").first.wait_for()
            headline = text.splitlines()[0]
            expect(page.get_by_role("heading", name=headline)).to_be_visible()
            for other in ARTICLES:
                if other is not text:
                    assert page.get_by_role("heading", name=other.splitlines()[0]).count() == 0
            assert page.locator("[data-testid='stException']").count() == 0
            assert article_id(text) in page.locator(".main, [data-testid='stMain']").first.inner_text()

        first = pages[0]
        first.locator("[class*='st-key-claim-c']").first.get_by_role("button", name="Review").click()
        form = first.locator(".st-key-review-form")
        form.get_by_text("Alleged", exact=True).click()
        form.get_by_role("textbox", name="Note").fill(NOTE)
        form.get_by_role("button", name="Save review").click()
        first.get_by_text("Saved by").wait_for()

        for page in pages[1:]:  # a rerun in every other session: still its own article, no trace of the note
            page.locator("[class*='st-key-claim-c']").first.get_by_role("button", name="Review").click()
            page.locator(".st-key-review-form").wait_for()
            assert NOTE not in page.content()
            expect(page.locator(".st-key-review-form").get_by_role("textbox", name="Note")).to_have_value("")
        browser.close()

    store = ReviewStore(reviews)
    assert [r.note for r in store.for_article(article_id(ARTICLES[0])).values()] == [NOTE]
    assert all(not store.for_article(article_id(text)) for text in ARTICLES[1:])
    assert len(store.articles()) == SESSIONS
