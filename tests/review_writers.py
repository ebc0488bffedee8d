"""Writer processes for the concurrency tests: light to import (only the review store), so they start fast."""

from __future__ import annotations

from dataclasses import replace

from factcheck.review.store import Review, ReviewConflict, ReviewStore


def save_many(location: str, name: str, saves: int, keys: int) -> dict:
    """One reviewer saving ``saves`` times over ``keys`` claims every writer shares; every fifth save is made on
    a version read earlier (a reviewer who kept the form open), so conflicts are sure to happen."""
    store = ReviewStore(location)
    saved, conflicts = [], 0
    stale: dict[str, Review] = {}
    for n in range(saves):
        key = f"c{n % keys}"
        review = stale.pop(key) if n % 5 == 4 and key in stale else store.get("desk", key)
        stale.setdefault(key, review)
        try:
            result = store.save(replace(review, flag="refuted", note=f"{name} {n}"), reviewer=name)
            saved.append((key, result.version, result.note))
        except ReviewConflict as exc:
            # The second writer learns who saved first and which version: never a silent overwrite.
            assert exc.current.version > review.version and exc.current.reviewer
            conflicts += 1
    return {"saved": saved, "conflicts": conflicts}
