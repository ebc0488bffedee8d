"""The memory commands through click: `archive import`, `match`, `reviews export`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from factcheck.memory import Archive
from factcheck.review.store import Review, ReviewStore
from factcheck.settings import Settings

FACT_CHECKS = [
    {"id": "grain", "claim": "Russia blocked all Ukrainian grain exports through the Black Sea in 2023.",
     "title": "Black Sea grain exports", "rating": "mostly-true", "date": "2023-08-01"},
    {"id": "moon", "claim": "The Apollo 11 moon landing was filmed in a studio.", "title": "Moon landing hoax",
     "rating": "false", "date": "2019-07-20"},
]


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    folder = tmp_path_factory.mktemp("memory-cli")
    source = folder / "factchecks.jsonl"
    source.write_text("\n".join(json.dumps(row) for row in FACT_CHECKS), encoding="utf-8")
    return {"store": str(folder / "store"), "reviews": str(folder / "reviews.sqlite3"), "source": str(source),
            "folder": folder}


def test_import_then_match_prints_the_earlier_check_of_each_claim(places):
    runner = CliRunner()
    imported = runner.invoke(main, ["archive", "import", places["source"], "--store", places["store"],
                                    "--reviews", places["reviews"]])
    assert imported.exit_code == 0, imported.output
    assert "Imported 2 fact-check(s)" in imported.output
    article = "Officials said Russia blocked every Ukrainian grain export through the Black Sea in 2023."
    matched = runner.invoke(main, ["match", "-", "--store", places["store"], "--reviews", places["reviews"]],
                            input=article)
    assert matched.exit_code == 0, matched.output
    lines = [json.loads(line) for line in matched.output.splitlines()]
    assert lines and all(line["input"] == "-" for line in lines)
    best = [m for line in lines for m in line["matches"]]
    assert best and best[0]["archived"]["claim_id"] == "import:grain"
    assert best[0]["kind"] in ("linked", "suggested") and best[0]["archived"]["verdict"] == "mostly-true"


def test_reviews_export_prints_claimreview_and_an_empty_archive_is_one_line_error(places):
    runner = CliRunner()
    empty = runner.invoke(main, ["reviews", "export", "--reviews", str(places["folder"] / "none.sqlite3")])
    assert empty.exit_code != 0 and empty.output.strip().count("\n") == 0
    assert "Nothing to export" in empty.output

    settings = Settings(store=places["store"], reviews=places["reviews"])
    saved = ReviewStore(settings.reviews).save(Review("a9", "c1-z", flag="refuted", note="no such vote"), "ana")
    Archive(settings).record_review(saved, "The council voted to abolish parking fees", source="council.txt")
    exported = runner.invoke(main, ["reviews", "export", "--format", "claimreview", "--reviews", places["reviews"]])
    assert exported.exit_code == 0, exported.output
    [item] = json.loads(exported.output)  # the imported fact-checks stay out without --all
    assert item["@type"] == "ClaimReview" and item["reviewRating"]["alternateName"] == "Refuted"
    assert item["reviewRating"]["ratingExplanation"] == "no such vote"
    everything = runner.invoke(main, ["reviews", "export", "--format", "csv", "--all", "--reviews", places["reviews"]])
    assert everything.exit_code == 0 and len(everything.output.strip().splitlines()) == 1 + 3


def test_importing_a_file_of_nothing_fails_with_one_line(places):
    empty = places["folder"] / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["archive", "import", str(empty), "--store", places["store"],
                                       "--reviews", places["reviews"]])
    assert result.exit_code != 0 and "holds no fact-checks" in result.output
