"""The in-domain stage: CAD reading, the options it checks first, and checkpoints that resume exactly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from safetensors.torch import load_file

from factcheck.errors import InputError
from factcheck.stance.model import DEFAULT_MODEL_DIR, DELTA_FILE
from factcheck.training.stance import (
    Pair,
    adapt_options,
    adapt_stage,
    read_cad,
    resume_adapt_stage,
)

# The shared data folder as benchmarks/common.py finds it: $FACTCHECK_DATA, else ../shared/data beside the repo.
DATA = Path(os.environ.get("FACTCHECK_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
CAD = DATA / "nli-extra" / "cad_snli"


def _cad_file(folder: Path, rows: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


def test_cad_pairs_read_as_claim_against_evidence(tmp_path: Path):
    folder = _cad_file(tmp_path / "cad", [
        {"premise": "A man rides a red motorcycle.", "hypothesis": "A man rides a car.", "label": "contradiction",
         "variant": "revised_hypothesis"},
        {"premise": "A man rides a red motorcycle.", "hypothesis": "A man rides.", "label": "entailment",
         "variant": "original"},
    ])
    pairs = read_cad(folder)
    assert pairs == [Pair("A man rides a car.", "A man rides a red motorcycle.", 1, "cad_snli"),
                     Pair("A man rides.", "A man rides a red motorcycle.", 0, "cad_snli")]


def test_a_bad_cad_line_is_named_and_a_missing_folder_says_what_to_pass(tmp_path: Path):
    folder = _cad_file(tmp_path / "cad", [{"premise": "p", "hypothesis": "h", "label": "maybe"}])
    with pytest.raises(InputError, match=r"train.jsonl:1: not a CAD pair"):
        read_cad(folder)
    with pytest.raises(InputError, match="--cad"):
        read_cad(tmp_path / "nowhere")
    with pytest.raises(InputError, match="--cad"):
        adapt_options(tmp_path / "nli", corpus=None, cad=tmp_path / "nowhere", checkpoint_dir=None)


@pytest.mark.skipif(not CAD.is_dir(), reason="needs the shared data ($FACTCHECK_DATA or ../shared/data)")
def test_the_shipped_cad_set_is_whole_and_balanced():
    pairs = read_cad(CAD)
    assert len(pairs) == 8250
    counts = [sum(p.label == k for p in pairs) for k in range(3)]
    assert min(counts) > 2700


TINY = [
    Pair("The bank raised rates in June.", "The bank raised rates in June.", 0, "t"),
    Pair("The bank cut rates in June.", "The bank raised rates in June.", 1, "t"),
    Pair("The bank raised rates in July.", "The bank raised rates in June.", 1, "t"),
    Pair("Growth slowed last year.", "The bank raised rates in June.", 2, "t"),
    Pair("Argentina beat France.", "Argentina beat France in the final.", 0, "t"),
    Pair("France beat Argentina.", "Argentina beat France in the final.", 1, "t"),
    Pair("Messi scored twice.", "Argentina beat France in the final.", 2, "t"),
    Pair("The trial enrolled 500 patients.", "The trial enrolled 5,000 patients.", 1, "t"),
]


def test_a_run_stopped_and_resumed_ends_where_an_uninterrupted_one_does(tmp_path: Path):
    options = dict(corpus_dir=None, cad_dir=None, scifact_dir=None, mix=TINY * 2, batch_size=2, max_len=32,
                   precision="fp32", device="cpu", lr=1e-4, checkpoint_every=100)
    straight = adapt_stage(tmp_path, DEFAULT_MODEL_DIR, tmp_path / "straight", **options)
    assert straight["steps"] == 8
    stopped = adapt_stage(tmp_path, DEFAULT_MODEL_DIR, tmp_path / "resumed", checkpoint_dir=tmp_path / "ck2",
                          stop_after=4, **options)
    assert stopped["stopped_at"] == 4 and not (tmp_path / "resumed").exists()
    resumed = resume_adapt_stage(tmp_path / "ck2")
    assert resumed["steps"] == 8 and resumed["pairs_seen"] == straight["pairs_seen"] == 16

    # The artifacts hold fp16 differences from the packaged encoder (and the head in fp32).
    a, b, init = (load_file(str(d / DELTA_FILE)) for d in (tmp_path / "straight", tmp_path / "resumed",
                                                             DEFAULT_MODEL_DIR))
    assert a.keys() == b.keys() == init.keys()
    moved = max((a[k].float() - init[k].float()).abs().max().item() for k in a)
    apart = max((a[k].float() - b[k].float()).abs().max().item() for k in a)
    assert moved > 1e-4  # the eight steps trained something
    assert apart < 1e-6  # and the resumed run trained the same


@pytest.mark.parametrize("args, status, expected", [
    (["--adapt", "--cad", "{missing}"], 2, "No CAD pairs"),
    (["--resume", "{missing}"], 2, "does not exist"),
])
def test_train_stance_refuses_bad_in_domain_options_in_one_line(tmp_path: Path, args, status, expected):
    from click.testing import CliRunner

    from factcheck.cli import main

    (tmp_path / "empty").mkdir()
    paths = {"missing": str(tmp_path / "missing"), "empty": str(tmp_path / "empty")}
    result = CliRunner().invoke(main, ["train-stance", "--data", paths["empty"], *(a.format(**paths) for a in args)])
    assert result.exit_code == status, (result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert not (tmp_path / "missing").exists()


def test_resume_refuses_a_folder_without_a_run(tmp_path: Path):
    with pytest.raises(InputError, match="No resumable run"):
        resume_adapt_stage(tmp_path)


def _tiny_data(folder: Path) -> tuple[Path, Path]:
    """An nli/ folder (both splits) and a scifact/ folder small enough to train on in seconds."""
    from factcheck.training.calibration import trains_stance_model

    names = ["entailment", "contradiction", "neutral"]
    nli = folder / "nli" / "_splits"
    nli.mkdir(parents=True)
    rows = "".join(json.dumps({"premise": p.evidence, "hypothesis": p.claim, "label": names[p.label],
                               "source": "vitaminc_real"}) + "\n" for p in TINY)
    for split in ("train.jsonl", "heldout.jsonl"):
        (nli / split).write_text(rows, encoding="utf-8")
    scifact = folder / "scifact"
    scifact.mkdir()
    abstract = ["Aspirin lowered the risk of stroke in the trial.", "Patients were followed for five years.",
                "The study was funded by a national agency."]
    (scifact / "corpus.jsonl").write_text(json.dumps({"doc_id": 1, "abstract": abstract}) + "\n", encoding="utf-8")
    ids = [i for i in range(1, 200) if trains_stance_model(i)][:4]
    claims = [{"id": ids[0], "claim": "Aspirin lowers the risk of stroke.", "cited_doc_ids": [1],
               "evidence": {"1": [{"label": "SUPPORT", "sentences": [0]}]}},
              {"id": ids[1], "claim": "Aspirin raises the risk of stroke.", "cited_doc_ids": [1],
               "evidence": {"1": [{"label": "CONTRADICT", "sentences": [0]}]}},
              {"id": ids[2], "claim": "Aspirin cures migraine.", "cited_doc_ids": [1], "evidence": {}}]
    (scifact / "claims_train.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims), encoding="utf-8")
    return folder / "nli", scifact


def test_the_scifact_refresher_follows_the_in_domain_stage_also_when_resumed(tmp_path: Path):
    from factcheck.training.stance import scifact_domain_stage, train_stance

    nli, scifact = _tiny_data(tmp_path)
    adapt = dict(corpus_dir=None, cad_dir=None, scifact_dir=scifact, mix=TINY * 2, batch_size=2, max_len=32,
                 lr=1e-4, checkpoint_every=100, refresh_scifact=True)
    metrics = train_stance(nli, tmp_path / "out", init=DEFAULT_MODEL_DIR, precision="fp32", device="cpu",
                           threads=1, adapt=adapt)
    record = metrics["training"]
    # The shipped model's own stages are kept in the record, then the in-domain stage and the refresher.
    assert {"scifact_domain", "in_domain", "scifact_refresh"} <= record.keys()
    assert record["scifact_refresh"]["mix_by_source"]["scifact_rationale"] == 2
    # A refresher is no licence for a second domain stage.
    with pytest.raises(InputError, match="SciFact stage already"):
        scifact_domain_stage(nli, scifact, tmp_path / "out", precision="fp32", device="cpu", threads=1)

    # Stopped after 4 of its 8 steps and resumed, the run still ends with the refresher.
    adapt_stage(nli, DEFAULT_MODEL_DIR, tmp_path / "resumed", precision="fp32", device="cpu", threads=1,
                checkpoint_dir=tmp_path / "ck", stop_after=4, **adapt)
    resumed = train_stance(nli, tmp_path / "ignored", resume=tmp_path / "ck", precision="fp32", device="cpu",
                           threads=1)
    assert "scifact_refresh" in resumed["training"] and not (tmp_path / "ignored").exists()

    # --no-scifact turns the refresher off.
    plain = train_stance(nli, tmp_path / "plain", init=DEFAULT_MODEL_DIR, precision="fp32", device="cpu",
                         threads=1, adapt=adapt | {"refresh_scifact": False})
    assert "in_domain" in plain["training"] and "scifact_refresh" not in plain["training"]
