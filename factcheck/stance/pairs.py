"""Stance on given pairs: the ``factcheck stance`` judgement, exactly as ``check`` makes it per passage."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from factcheck.errors import InputError
from factcheck.stance.judge import StanceJudge


def read_pairs(source: str | IO[str]) -> list[dict]:
    """Read JSON lines with ``claim`` and ``evidence`` strings; raise InputError naming a bad line."""
    try:
        handle = open(source, encoding="utf-8") if isinstance(source, str) else source
    except OSError as exc:
        raise InputError(f"{source}: cannot read it ({exc.strerror}) — pass a JSON Lines file of pairs") from exc
    records = []
    try:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"line {number}: not JSON ({exc.msg})") from exc
            except RecursionError as exc:
                raise InputError(f"line {number}: not JSON (nested too deep)") from exc
            if not isinstance(record, dict) or not isinstance(record.get("claim"), str) \
                    or not isinstance(record.get("evidence"), str):
                raise InputError(f"line {number}: needs string fields `claim` and `evidence`")
            records.append(record)
    except UnicodeDecodeError as exc:
        raise InputError("the pairs file is not UTF-8 text") from exc
    finally:
        if isinstance(source, str):
            handle.close()
    if not records:
        raise InputError("no pairs to judge — each line must be {\"claim\": ..., \"evidence\": ...}")
    return records


def judge_pairs(records: Iterable[dict], use_model: bool = True, judge: StanceJudge | None = None) -> list[dict]:
    """Judge each (claim, evidence) pair: the evidence is split into sentences and the strongest decides."""
    from factcheck.evidence.chunking import split_sentences
    from factcheck.resources import get_sentence_encoder

    records = list(records)
    judge = judge or StanceJudge(use_model=use_model)
    encoder = get_sentence_encoder()
    claims = [r["claim"] for r in records]
    evidences = [r["evidence"] for r in records]
    vectors = encoder.encode(claims + evidences, normalize_embeddings=True, batch_size=64)
    n = len(records)
    similarities = [float(vectors[i] @ vectors[n + i]) for i in range(n)]
    items = [(c, split_sentences(e), s) for c, e, s in zip(claims, evidences, similarities)]
    out = []
    for result in judge.judge_many(items):
        out.append({"stance": result.stance, "score": round(result.score, 4), "probs": result.probs,
                    "sentence": result.sentence, "reason": result.reason, "disputed": result.disputed,
                    "denial": result.denial})
    return out
