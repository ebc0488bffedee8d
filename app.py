"""factcheck review desk: check an article, weigh each claim against its evidence, flag it, export.

Run with ``make run`` (or ``streamlit run app.py``). A thin layer over the library: the pipeline is
``factcheck.Checker``, reviews live in ``factcheck.review.store``, exports come from ``factcheck.review.export``.
The store is ``$FACTCHECK_STORE`` (default .factcheck/store); reviews ``$FACTCHECK_REVIEWS``.
"""

from __future__ import annotations

import getpass
import html
import os
import tempfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import streamlit as st

from factcheck import (
    Checker,
    ClaimResult,
    Evidence,
    EvidenceStore,
    FactcheckError,
    Ingester,
    Report,
    Settings,
    StoreError,
)
from factcheck.review.export import EXPORTERS, ArticleMeta, ReviewedArticle, claimreview_problems, to_claimreview
from factcheck.evidence.loaders import load_file
from factcheck.review.store import FLAG_LABELS, FLAGS, Review, ReviewConflict, ReviewStore, claim_key, default_reviews_path

ROOT = Path(__file__).resolve().parent
EXAMPLE = ROOT / "seeds" / "000_5812b4ca549976e4.txt"
CORPUS = ROOT / "corpus"
UPLOAD_TYPES = ["txt", "md", "markdown", "html", "htm", "pdf"]

VERDICTS = {  # label, strong colour, light tint
    "supported": ("Supported", "#1a7f37", "#dafbe1"),
    "refuted": ("Refuted", "#cf222e", "#ffebe9"),
    "conflicting": ("Conflicting", "#9a6700", "#fff1c2"),
    "not_enough_evidence": ("Not enough evidence", "#57606a", "#eaeef2"),
}
FLAG_COLOURS = {"supported": "supported", "refuted": "refuted", "misleading": "conflicting",
                "alleged": "conflicting", "denied": "conflicting"}

CSS = """
<style>
.fc-article {font-family: Georgia, 'Times New Roman', serif; font-size: 1.02rem; line-height: 1.75;
  white-space: pre-wrap; color: #1f2328;}
.fc-article mark {border-radius: 3px; padding: 1px 0; color: inherit;}
.fc-article mark sup {font-family: system-ui, sans-serif; font-size: .68rem; font-weight: 600; margin-left: 2px;}
.fc-article mark.fc-selected {outline: 2px solid #0969da; outline-offset: 1px;}
.fc-article mark.fc-minor {background: transparent; border-bottom: 1px dotted #8c959f;}
.fc-badge {display: inline-block; border-radius: 4px; padding: 1px 8px; font-size: .78rem; font-weight: 600;
  color: #fff; font-family: system-ui, sans-serif; white-space: nowrap;}
.fc-chip {display: inline-block; border-radius: 999px; padding: 0 9px; font-size: .75rem; margin-right: 4px;
  border: 1px solid #d0d7de; background: #f6f8fa; color: #1f2328; font-family: system-ui, sans-serif;
  white-space: nowrap;}
.fc-chip.fc-alleged {background: #fff8c5; border-color: #d4a72c;}
.fc-chip.fc-denied {background: #ffebe9; border-color: #ff8182;}
.fc-chip.fc-hedged {background: #ddf4ff; border-color: #54aeff;}
.fc-chip.fc-attributed {background: #fbefff; border-color: #c297ff;}
.fc-flag {display: inline-block; border-radius: 4px; padding: 0 7px; font-size: .75rem; font-weight: 600;
  border: 2px solid; font-family: system-ui, sans-serif; white-space: nowrap;}
.fc-claim {font-size: .92rem; line-height: 1.45; margin-top: 4px; color: #1f2328;}
.fc-claim.fc-muted {color: #6e7781;}
.fc-quote {font-family: Georgia, serif; font-size: 1.1rem; line-height: 1.55; border-left: 4px solid;
  padding: 6px 12px; margin: 6px 0 10px 0; background: #f6f8fa;}
.fc-ev-title {font-weight: 600; font-size: .95rem; line-height: 1.3;}
.fc-ev-meta {color: #57606a; font-size: .8rem; margin: 2px 0 6px 0;}
.fc-ev-passage {font-size: .9rem; line-height: 1.55; color: #424a53;}
.fc-ev-passage mark {background: #fff1a8; color: #1f2328; padding: 1px 2px; border-radius: 2px;}
.fc-ev-score {font-size: .8rem; color: #57606a; margin-top: 6px;}
.fc-bar {height: 5px; background: #eaeef2; border-radius: 3px; margin-top: 3px;}
.fc-bar > div {height: 5px; border-radius: 3px;}
.fc-reason {font-size: .82rem; margin-top: 4px; color: #424a53;}
.fc-reason b {color: #57606a; font-weight: 600;}
.fc-counts {font-size: .78rem; margin-top: 3px; color: #1a7f37; font-weight: 600;}
.fc-weak {font-size: .78rem; margin-top: 3px; color: #6e7781; font-style: italic;}
.fc-pinned {display: inline-block; font-size: .7rem; font-weight: 700; letter-spacing: .04em; color: #0969da;
  border: 1px solid #0969da; border-radius: 3px; padding: 0 4px; margin-right: 6px; vertical-align: 2px;}
[data-testid="stMainBlockContainer"] {padding-top: 2.2rem;}
.fc-colhead {font-weight: 700; font-size: 1rem; border-bottom: 3px solid; padding-bottom: 3px; margin-bottom: 8px;}
</style>
"""

esc = html.escape  # every document-derived string that goes into HTML passes through this


# -- resources, loaded once per process ----------------------------------------------------------
def store_path() -> str:
    return Settings().store


def reviews_path() -> str:
    return default_reviews_path()


@st.cache_resource(show_spinner=False)
def get_checker(location: str) -> Checker:
    """One Checker per store; its models load on first use and stay loaded."""
    return Checker(Settings(store=location))


@st.cache_resource(show_spinner="Loading the models (once)…")
def warm_checker(location: str) -> Checker:
    checker = get_checker(location)
    checker.warm_up()
    return checker


@st.cache_resource(show_spinner=False)
def get_reviews(location: str) -> ReviewStore:
    return ReviewStore(location)


def store_count() -> int | None:
    """Passages in the store, or None when there is no usable store yet."""
    try:
        return get_checker(store_path()).store.count()
    except StoreError:
        return None


def store_changed() -> None:
    """Forget the cached Checker so retrieval sees the store's new contents."""
    get_checker.clear()
    warm_checker.clear()


# -- small HTML pieces -----------------------------------------------------------------------------
def verdict_badge(label: str, confidence: float | None = None) -> str:
    name, colour, _ = VERDICTS.get(label, (label, "#57606a", "#eaeef2"))
    text = name + (f" · {confidence:.2f}" if confidence is not None else "")
    return f'<span class="fc-badge" style="background:{colour}">{esc(text)}</span>'


def status_chip(status: str) -> str:
    return f'<span class="fc-chip fc-{esc(status)}" title="How the article presents the claim">{esc(status)}</span>'


def flag_chip(flag: str | None) -> str:
    if not flag:
        return ""
    colour = VERDICTS[FLAG_COLOURS.get(flag, "not_enough_evidence")][1]
    return (f'<span class="fc-flag" style="border-color:{colour};color:{colour}" title="The reviewer\'s flag">'
            f"⚑ {esc(FLAG_LABELS[flag])}</span>")


def source_chip(source: str | None) -> str:
    return f'<span class="fc-chip">by {esc(source)}</span>' if source else ""


def safe_url(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


def when(stamp: str) -> str:
    """An ISO timestamp as a reader sees it: 28 Nov 2026, 04:27 UTC."""
    try:
        return datetime.fromisoformat(stamp).astimezone(timezone.utc).strftime("%-d %b %Y, %H:%M UTC")
    except ValueError:
        return stamp


def display_source(source: str) -> str:
    """A document's path as the reader knows it: relative to the project when it lies inside it."""
    try:
        return str(Path(source).resolve().relative_to(ROOT))
    except (ValueError, OSError):
        return source


def html_block(markup: str) -> None:
    st.markdown(markup, unsafe_allow_html=True)


# -- state -----------------------------------------------------------------------------------------
def state():
    """This browser session's state, with defaults on the first run."""
    ss = st.session_state
    ss.setdefault("seen", {})  # claim key -> review version this session last loaded
    ss.setdefault("conflicts", {})  # claim key -> (message, other reviewer's Review, my draft)
    ss.setdefault("flash", [])
    if "reviewer" not in ss:
        ss.reviewer = st.query_params.get("reviewer") or os.environ.get("FACTCHECK_REVIEWER") or getpass.getuser()
    return ss


def flash(kind: str, message: str) -> None:
    st.session_state.flash.append((kind, message))


def show_flash() -> None:
    for kind, message in st.session_state.flash:
        getattr(st, kind)(message)
    st.session_state.flash = []


def key_for(report: Report, result: ClaimResult) -> str:
    return claim_key(result.claim.id, report.text[result.claim.start:result.claim.end])


# -- checking --------------------------------------------------------------------------------------
def run_check(text: str, name: str) -> None:
    """Check ``text`` and make it the current article (errors shown, never raised)."""
    ss = st.session_state
    bar = st.progress(0.0, text="Loading the models…")
    stages = {"claims": "Claims found; searching the evidence store…", "retrieval": "Evidence found; weighing it…",
              "stance": "Stance judged; aggregating verdicts…", "verdict": "Done."}
    try:
        checker = warm_checker(store_path())
        bar.progress(0.05, text="Finding the claims…")
        report = checker.check(text, input_name=name,
                               progress=lambda stage, fraction: bar.progress(min(fraction, 1.0), text=stages.get(stage, stage)))
        aid = get_reviews(reviews_path()).remember_article(text, name)
    except FactcheckError as exc:
        bar.empty()
        st.error(str(exc))
        return
    bar.empty()
    ss.report, ss.article = report, aid
    ss.selected = None
    ss.seen, ss.conflicts = {}, {}
    st.query_params["article"] = aid
    st.query_params.pop("claim", None)


def read_upload(upload) -> tuple[str, str]:
    """The text of an uploaded article (via the library's loaders, which refuse bad files)."""
    name = Path(upload.name).name or "upload.txt"
    with tempfile.TemporaryDirectory() as tmp:
        # Under its own name, so the loader's messages name the file the user chose.
        path = Path(tmp) / name
        path.write_bytes(upload.getvalue())
        try:
            docs = load_file(path)
        except FactcheckError as exc:
            raise type(exc)(str(exc).replace(str(path), name)) from exc
    return docs[0].text, name


def reopen_from_url() -> None:
    """After a reload, reopen the article named in the URL (checked again; its reviews come from the database)."""
    ss = st.session_state
    aid = st.query_params.get("article")
    if not aid or ss.get("report") is not None or ss.get("reopen_tried") == aid:
        return
    ss.reopen_tried = aid
    claim = st.query_params.get("claim")
    info = get_reviews(reviews_path()).article(aid)
    if info is not None:
        run_check(info.text, info.name)
        if ss.get("report") is not None and claim:
            select_claim(claim)
        return
    st.info(f"The link names article {aid}, which this review database ({reviews_path()}) has never seen — "
            "paste or upload the article to check it.")


def input_panel() -> None:
    ss = st.session_state
    mode = st.radio("Article", ["Paste text", "Upload a file", "Example article"], horizontal=True, key="input_mode",
                    label_visibility="collapsed")
    if mode == "Paste text":
        with st.form("paste_form", border=False):
            text = st.text_area("Paste the article", key="paste_text", height=180,
                                placeholder="Paste an article or a few sentences…")
            if st.form_submit_button("Check claims", type="primary"):
                run_check(text, "pasted")
    elif mode == "Upload a file":
        upload = st.file_uploader("Upload an article (.txt, .md, .html, .pdf)", type=UPLOAD_TYPES, key="upload")
        if st.button("Check claims", type="primary", disabled=upload is None, key="check_upload"):
            try:
                text, name = read_upload(upload)
            except FactcheckError as exc:
                st.error(str(exc))
            else:
                run_check(text, name)
    else:
        first_line = EXAMPLE.read_text(encoding="utf-8").strip().splitlines()[0] if EXAMPLE.is_file() else ""
        st.caption(f"Bundled example: *{first_line}* ({EXAMPLE.name})")
        if st.button("Open the example article", type="primary", key="check_example"):
            run_check(EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name)
    if ss.get("report") is None:
        st.info("Paste an article, upload one, or open the example. Each claim is matched against the evidence "
                "store; you then review it side by side with its evidence.")


# -- the article and the claim list ----------------------------------------------------------------
def article_html(report: Report, selected: str | None, show_all: bool) -> str:
    """The article text, escaped, with each claim's span marked in its verdict colour.

    A claim whose span lies inside an earlier one (an allegation and its denial in one sentence)
    adds its id to that mark rather than nesting marks.
    """
    shown = [r for r in report.claims if r.claim.checkworthy or show_all]
    marks: list[tuple[ClaimResult, list[str]]] = []
    end = 0
    for result in sorted(shown, key=lambda r: (r.claim.start, -r.claim.end)):
        claim = result.claim
        if claim.end <= claim.start:
            continue
        if marks and claim.start < end:
            marks[-1][1].append(claim.id)
            continue
        marks.append((result, [claim.id]))
        end = claim.end
    out, pos = [], 0
    for result, ids in marks:
        claim = result.claim
        out.append(esc(report.text[pos:claim.start]))
        classes = ["fc-selected"] if selected in ids else []
        if claim.checkworthy:
            _, colour, tint = VERDICTS[result.verdict.label]
            style = f'style="background:{tint};border-bottom:2px solid {colour}"'
            title = f"{', '.join(ids)}: {VERDICTS[result.verdict.label][0]}"
        else:
            classes.append("fc-minor")
            colour, style, title = "#8c959f", "", f"{', '.join(ids)}: not check-worthy"
        sup = f'<sup style="color:{colour}">{esc(" ".join(ids))}</sup>'
        out.append(f'<mark class="{" ".join(classes)}" {style} title="{esc(title)}">'
                   f"{esc(report.text[claim.start:claim.end])}{sup}</mark>")
        pos = claim.end
    out.append(esc(report.text[pos:]))
    return f'<div class="fc-article">{"".join(out)}</div>'


def select_claim(claim_id: str) -> None:
    st.session_state.selected = claim_id
    st.query_params["claim"] = claim_id


def claim_list(report: Report, reviews: dict[str, Review], show_all: bool) -> None:
    ss = st.session_state
    results = report.claims if show_all else report.checkworthy
    if not results:
        st.info("No check-worthy claims in this text." + ("" if show_all else " Tick “show all sentences” to see the rest."))
    for result in results:
        claim = result.claim
        review = reviews.get(key_for(report, result))
        with st.container(border=True, key=f"claim-{claim.id}"):
            left, right = st.columns([5, 1.3], vertical_alignment="center")
            with left:
                head = [f"<b>{esc(claim.id)}</b>"]
                if claim.checkworthy:
                    head += [verdict_badge(result.verdict.label, result.verdict.confidence), status_chip(claim.status),
                             source_chip(claim.source), flag_chip(review.flag if review else None)]
                else:
                    head.append('<span class="fc-chip">not check-worthy</span>')
                text = claim.text if len(claim.text) <= 180 else claim.text[:177] + "…"
                muted = "" if claim.checkworthy else " fc-muted"
                html_block(" ".join(h for h in head if h) + f'<div class="fc-claim{muted}">{esc(text)}</div>')
            with right:
                chosen = ss.get("selected") == claim.id
                st.button("Review", key=f"open-{claim.id}", on_click=select_claim,
                          args=(claim.id,), type="primary" if chosen else "secondary", width="stretch")


def summary_bar(report: Report, reviews: dict[str, Review]) -> None:
    worthy = report.checkworthy
    counts = report.counts()
    flagged = sum(1 for r in worthy if (rev := reviews.get(key_for(report, r))) and rev.flag)
    badges = " ".join(f'{verdict_badge(label)}&nbsp;<b>{counts[label]}</b>&nbsp;&nbsp;'
                      for label in VERDICTS if counts.get(label))
    html_block(f"<div style='margin:4px 0 8px 0'><b>{len(worthy)}</b> check-worthy claims of {len(report.claims)} "
               f"sentences &nbsp;·&nbsp; <b>{flagged}</b> reviewed &nbsp;&nbsp; {badges}</div>")


# -- reviewing one claim ---------------------------------------------------------------------------
def seen_review(key: str, current: Review) -> int:
    """The review version this session works from (set the first time the claim is opened)."""
    return st.session_state.seen.setdefault(key, current.version)


def save_review(key: str, changes: dict) -> None:
    """Save a change on top of the version this session saw; a stale version becomes a visible conflict."""
    ss = st.session_state
    reviews = get_reviews(reviews_path())
    current = reviews.get(ss.article, key)
    base = replace(current, version=ss.seen.get(key, current.version))
    draft = replace(base, **changes)
    try:
        saved = reviews.save(draft, reviewer=ss.reviewer)
    except ReviewConflict as exc:
        ss.conflicts[key] = (str(exc), exc.current, draft)
        ss.seen[key] = exc.current.version  # the form now shows their version
        return
    except FactcheckError as exc:
        flash("error", str(exc))
        return
    ss.seen[key] = saved.version
    ss.conflicts.pop(key, None)
    ss.saved_notice = (key, f"Saved: {saved.summary()} (version {saved.version}).")


def submit_form(key: str, version: int, claim_text: str) -> None:
    ss = st.session_state
    flag = ss.get(f"flag-{key}-{version}")
    note = ss.get(f"note-{key}-{version}", "")
    save_review(key, {"flag": flag, "note": note, "claim_text": claim_text})


def toggle_evidence(key: str, passage_id: str, action: str) -> None:
    current = get_reviews(reviews_path()).get(st.session_state.article, key)
    pinned, dismissed = list(current.pinned), list(current.dismissed)
    if action == "pin":
        pinned, dismissed = pinned + [passage_id], [p for p in dismissed if p != passage_id]
    elif action == "unpin":
        pinned = [p for p in pinned if p != passage_id]
    elif action == "dismiss":
        dismissed, pinned = dismissed + [passage_id], [p for p in pinned if p != passage_id]
    else:
        dismissed = [p for p in dismissed if p != passage_id]
    save_review(key, {"pinned": pinned, "dismissed": dismissed})


def load_theirs(key: str) -> None:
    st.session_state.seen.pop(key, None)
    st.session_state.conflicts.pop(key, None)


def passage_html(evidence: Evidence) -> str:
    """The passage, escaped, with the evidence sentence highlighted."""
    passage, start, end = evidence.passage, evidence.sentence_start, evidence.sentence_end
    if not (0 <= start < end <= len(passage)):
        start = passage.find(evidence.sentence) if evidence.sentence else -1
        end = start + len(evidence.sentence)
    if start < 0:
        return esc(passage)
    while start < end and passage[start].isspace():  # keep the highlight on the words, not the gap before them
        start += 1
    while end > start and passage[end - 1].isspace():
        end -= 1
    return f"{esc(passage[:start])}<mark>{esc(passage[start:end])}</mark>{esc(passage[end:])}"


def evidence_card(evidence: Evidence, key: str, index: int, review: Review) -> None:
    pinned = evidence.passage_id in review.pinned
    dismissed = evidence.passage_id in review.dismissed
    colour = {"supports": VERDICTS["supported"][1], "refutes": VERDICTS["refuted"][1]}.get(evidence.stance, "#8c959f")
    meta = [esc(x) for x in (evidence.publisher, evidence.date) if x]
    url = safe_url(evidence.url)
    if url:
        meta.append(f'<a href="{esc(url, quote=True)}" target="_blank" rel="noopener noreferrer">source ↗</a>')
    meta.append(f"<code>{esc(display_source(evidence.source))}</code>")
    pin_mark = '<span class="fc-pinned">PINNED</span>' if pinned else ""
    reason = f'<div class="fc-reason"><b>Why:</b> {esc(evidence.reason)}</div>' if evidence.reason else ""
    if evidence.weight_note:
        weight_class = "fc-counts" if evidence.counts else "fc-weak"
        reason += f'<div class="{weight_class}">{esc(evidence.weight_note)}</div>'
    with st.container(border=True):
        html_block(
            f'<div class="fc-ev-title">{pin_mark}{esc(evidence.title or evidence.source)}</div>'
            f'<div class="fc-ev-meta">{" · ".join(meta)}</div>'
            f'<div class="fc-ev-passage">{passage_html(evidence)}</div>'
            f'<div class="fc-ev-score">{esc(evidence.stance)} <b>{evidence.score:.2f}</b> · similarity {evidence.similarity:.2f}'
            f'<div class="fc-bar"><div style="width:{max(0.0, min(evidence.score, 1.0)) * 100:.0f}%;background:{colour}"></div></div></div>'
            f"{reason}"
        )
        pin_col, dismiss_col = st.columns(2)
        base = f"{key}-{index}-{evidence.passage_id}"
        pin_col.button("Unpin" if pinned else "Pin", key=f"pin-{base}", on_click=toggle_evidence, width="stretch",
                       icon=":material/keep_off:" if pinned else ":material/keep:",
                       args=(key, evidence.passage_id, "unpin" if pinned else "pin"))
        dismiss_col.button("Restore" if dismissed else "Dismiss", key=f"dismiss-{base}", on_click=toggle_evidence,
                           icon=":material/undo:" if dismissed else ":material/block:",
                           width="stretch", args=(key, evidence.passage_id, "restore" if dismissed else "dismiss"))


def evidence_column(title: str, colour: str, items: list[tuple[int, Evidence]], key: str, review: Review, empty: str) -> None:
    html_block(f'<div class="fc-colhead" style="border-color:{colour};color:{colour}">{esc(title)} ({len(items)})</div>')
    if not items:
        st.caption(empty)
    for index, evidence in items:
        evidence_card(evidence, key, index, review)


def claim_summary(result: ClaimResult, with_id: bool = True) -> str:
    claim = result.claim
    return (f"{f'<b>{esc(claim.id)}</b> ' if with_id else ''}{verdict_badge(result.verdict.label, result.verdict.confidence)} "
            f"{status_chip(claim.status)} {source_chip(claim.source)}")


def review_panel(report: Report, reviews: dict[str, Review]) -> None:
    ss = st.session_state
    try:
        result = report.get(ss.selected)
    except KeyError:
        return
    claim = result.claim
    key = key_for(report, result)
    current = reviews.get(key) or Review(article_id=ss.article, claim_key=key)
    version = seen_review(key, current)

    st.divider()
    claim_col, support_col, conflict_col = st.columns([1.15, 1, 1], gap="medium")
    with claim_col:
        st.subheader(f"Claim {claim.id}")
        colour = VERDICTS[result.verdict.label][1]
        html_block(claim_summary(result, with_id=False) + " " + flag_chip(current.flag) + f'<div class="fc-quote" style="border-color:{colour}">{esc(claim.text)}</div>')
        if claim.sentence and claim.sentence.strip() != claim.text.strip():
            html_block(f'<div class="fc-ev-meta">In the sentence: “{esc(claim.sentence)}”</div>')
        if claim.query and claim.query.strip() != claim.text.strip():
            html_block(f'<div class="fc-ev-meta">Evidence searched and judged for its core: “{esc(claim.query)}”</div>')
        if claim.cues:
            cues = ", ".join(f"“{esc(c.text)}” ({esc(c.role)})" for c in claim.cues)
            html_block(f'<div class="fc-ev-meta">Cues: {cues}</div>')
        for linked_id in claim.linked:
            try:
                other = report.get(linked_id)
            except KeyError:
                continue
            with st.container(border=True):
                html_block(f'<div class="fc-ev-meta">Linked claim</div>{claim_summary(other)}'
                           f'<div class="fc-claim">{esc(other.claim.text)}</div>')
                st.button(f"Open {linked_id}", key=f"linked-{claim.id}-{linked_id}", on_click=select_claim, args=(linked_id,))

        conflict = ss.conflicts.get(key)
        if conflict:
            _, theirs, mine = conflict
            st.warning(f"**Not saved — {theirs.reviewer} changed this review at {when(theirs.updated_at)}, "
                       f"after you opened it.**\n\n"
                       f"**Their version ({theirs.version}):** {theirs.summary()}\n\n"
                       f"**Your change:** {mine.summary()}\n\n"
                       "The form now shows their version. Re-apply your change and save again if you still disagree.",
                       icon=":material/group:")
        elif current.version > version:
            st.warning(f"{current.reviewer} saved a newer version ({current.version}: {current.summary()}) at "
                       f"{when(current.updated_at)} since you opened this claim.")
            st.button("Load their version", key=f"reload-{key}", on_click=load_theirs, args=(key,))

        with st.container(key="review-form"), st.form(f"review-{key}-{version}", border=True):
            st.markdown("**Your review**")
            st.radio("Flag", FLAGS, index=FLAGS.index(current.flag) if current.flag in FLAGS else None,
                     format_func=FLAG_LABELS.get, key=f"flag-{key}-{version}", horizontal=True)
            st.text_area("Note", value=current.note, key=f"note-{key}-{version}", height=90,
                         placeholder="What the evidence shows, what is missing, who to call…")
            st.form_submit_button("Save review", type="primary", on_click=submit_form, args=(key, version, claim.text))
        notice = ss.get("saved_notice")
        if notice and notice[0] == key:
            st.success(notice[1], icon=":material/check_circle:")
            del ss.saved_notice
        if current.version:
            st.caption(f"Saved by {current.reviewer} at {when(current.updated_at)} · version {current.version}")
        else:
            st.caption("Not reviewed yet.")
        history = get_reviews(reviews_path()).history(ss.article, key)
        if history:
            with st.expander(f"History ({len(history)} changes)"):
                for change in reversed(history):
                    flag = FLAG_LABELS.get(change.flag, "no flag") if change.flag else "no flag"
                    note = f" — “{change.note}”" if change.note else ""
                    st.markdown(f"v{change.version} · {when(change.changed_at)} · **{change.reviewer}** · {flag}{note}"
                                f" · {len(change.pinned)} pinned, {len(change.dismissed)} dismissed")

    indexed = list(enumerate(result.evidence))
    live = [(i, e) for i, e in indexed if e.passage_id not in current.dismissed]
    live.sort(key=lambda item: item[1].passage_id not in current.pinned)  # pinned first, otherwise as ranked
    with support_col:
        evidence_column("Supporting", VERDICTS["supported"][1], [(i, e) for i, e in live if e.stance == "supports"],
                        key, current, "No passage in the store supports this claim.")
    with conflict_col:
        evidence_column("Conflicting", VERDICTS["refuted"][1], [(i, e) for i, e in live if e.stance == "refutes"],
                        key, current, "No passage in the store contradicts this claim.")
    neutral = [(i, e) for i, e in live if e.stance not in ("supports", "refutes")]
    if neutral:
        with st.expander(f"Neutral evidence ({len(neutral)}) — retrieved, but neither supports nor contradicts"):
            cols = st.columns(2)
            for n, (i, e) in enumerate(neutral):
                with cols[n % 2]:
                    evidence_card(e, key, i, current)
    dismissed = [(i, e) for i, e in indexed if e.passage_id in current.dismissed]
    if dismissed:
        with st.expander(f"Dismissed evidence ({len(dismissed)})"):
            for i, e in dismissed:
                evidence_card(e, key, i, current)


# -- export ----------------------------------------------------------------------------------------
def export_panel(report: Report, reviews: dict[str, Review]) -> None:
    ss = st.session_state
    st.divider()
    st.subheader("Export")
    first_line = report.text.strip().splitlines()[0][:200] if report.text.strip() else report.input
    with st.expander("Article and publisher details (used by ClaimReview)"):
        a, b = st.columns(2)
        title = a.text_input("Article headline", value=first_line, key=f"meta-title-{ss.article}")
        url = a.text_input("Article URL", key="meta-url")
        author = a.text_input("Article author", key="meta-author")
        date = b.text_input("Article date (YYYY-MM-DD)", key="meta-date")
        organisation = b.text_input("Your organisation", value="factcheck review desk", key="meta-org")
        review_url = b.text_input("URL of your fact-check", key="meta-review-url",
                                  placeholder="https://example.org/fact-checks/…")
    meta = ArticleMeta(title=title or None, url=url or None, author=author or None, date_published=date or None,
                       organisation=organisation or "factcheck review desk", review_url=review_url or None)
    article = ReviewedArticle.build(report, reviews, meta)
    fmt = st.radio("Format", list(EXPORTERS), format_func=lambda name: EXPORTERS[name].label, horizontal=True,
                   key="export_format")
    exporter = EXPORTERS[fmt]
    content = exporter.render(article)
    stem = Path(report.input).stem if report.input not in ("pasted", "-") else "article"
    st.download_button(f"Download {exporter.label}", data=content.encode("utf-8"), mime=exporter.mime,
                       file_name=f"{stem}-{article.article_id[:8]}{exporter.suffix}", type="primary",
                       key=f"download-{fmt}")
    if fmt == "claimreview":
        if not article.flagged:
            st.info("ClaimReview covers flagged claims only — flag at least one claim first.")
        problems = sorted({p for item in to_claimreview(article) for p in claimreview_problems(item)})
        for problem in problems:
            st.warning(f"ClaimReview: {problem}.")
    with st.expander("Preview", expanded=False):
        st.code(content, language=exporter.language, wrap_lines=True)


# -- pages -----------------------------------------------------------------------------------------
def build_store_button(key: str) -> None:
    """The empty state: one click builds the store from the bundled corpus/."""
    if st.button(f"Build the evidence store from {CORPUS.name}/", type="primary", key=key):
        ingest_with_progress([str(CORPUS)])


def ingest_with_progress(paths: list[str]) -> None:
    bar = st.progress(0.0, text="Reading files…")

    def progress(phase: str, done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"{phase.capitalize()}: {done} of {total}")

    try:
        store = EvidenceStore(store_path(), Settings().collection, create=True)
        summary = Ingester(store, Settings(store=store_path())).ingest(paths, progress)
    except FactcheckError as exc:
        bar.empty()
        st.error(str(exc))
        return
    finally:
        store_changed()
    bar.empty()
    kind = "success" if summary.documents else "warning"
    flash(kind, summary.describe().replace("\n", "  \n"))
    st.rerun()


def check_page() -> None:
    ss = st.session_state
    count = store_count()
    if not count:
        st.warning(f"The evidence store at `{store_path()}` is {'empty' if count == 0 else 'not built yet'}. "
                   f"Build it from the bundled corpus (about a minute), or add your own documents on the Corpus page.")
        build_store_button("build_store_check")
        return
    pending = ss.pop("pending_article", None)
    info = get_reviews(reviews_path()).article(pending) if pending else None
    if info is not None:
        run_check(info.text, info.name)
    reopen_from_url()
    input_panel()
    report: Report | None = ss.get("report")
    if report is None:
        return
    reviews = get_reviews(reviews_path()).for_article(ss.article)
    st.divider()
    title = report.text.strip().splitlines()[0] if report.text.strip() else report.input
    st.subheader(title[:160])
    st.caption(f"{report.input} · article {ss.article}")
    summary_bar(report, reviews)
    show_all = st.toggle("Show all sentences, including those that are not check-worthy", key="show_all")
    article_col, list_col = st.columns([1.25, 1], gap="medium")
    with article_col:
        with st.container(height=560, border=True):
            html_block(article_html(report, ss.get("selected"), show_all))
    with list_col:
        with st.container(height=560, border=False):
            claim_list(report, reviews, show_all)
    if ss.get("selected"):
        review_panel(report, reviews)
    else:
        st.info("Pick a claim with **Review** to weigh it against its evidence.")
    export_panel(report, reviews)


def corpus_page() -> None:
    st.subheader("Evidence store")
    st.caption(f"Store: `{store_path()}`")
    count = store_count()
    if not count:
        st.warning("The store is empty." if count == 0 else "There is no store here yet.")
        build_store_button("build_store_corpus")
    else:
        try:
            sources = get_checker(store_path()).store.sources()
        except FactcheckError as exc:
            st.error(str(exc))
            sources = []
        st.markdown(f"**{len(sources)}** documents, **{count}** passages.")
        st.dataframe(
            [{"title": s.title or "", "passages": s.passages, "publisher": s.publisher or "", "date": s.date or "",
              "source": display_source(s.source), "doc_id": s.doc_id} for s in sources],
            hide_index=True, width="stretch", height=min(420, 38 + 35 * len(sources)))
        with st.expander("Remove a document"):
            ids = [s.doc_id for s in sources]
            labels = {s.doc_id: f"{s.title or s.doc_id} ({s.passages} passages)" for s in sources}
            doc_id = st.selectbox("Document", ids, format_func=labels.get, key="remove_doc", index=None,
                                  placeholder="Choose a document")
            sure = st.checkbox("Yes, remove it from the store", key="remove_sure")
            st.button("Remove", disabled=doc_id is None or not sure, key="remove_button", on_click=remove_document,
                      args=(doc_id, labels.get(doc_id, doc_id)))

    st.subheader("Add documents")
    uploads = st.file_uploader("Upload documents (.txt, .md, .html, .pdf, .jsonl)", type=UPLOAD_TYPES + ["jsonl"],
                               accept_multiple_files=True, key="corpus_uploads")
    if st.button("Add the uploaded files", disabled=not uploads, key="add_uploads"):
        # Uploads are kept next to the store, so their source path stays valid and re-adding is idempotent.
        folder = upload_folder()
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for upload in uploads:
            target = folder / Path(upload.name).name
            target.write_bytes(upload.getvalue())
            paths.append(str(target))
        ingest_with_progress(paths)
    folder_path = st.text_input("Or a folder on this server", key="corpus_folder", placeholder=str(CORPUS))
    if st.button("Add the folder", disabled=not folder_path.strip(), key="add_folder"):
        if not Path(folder_path).expanduser().exists():
            st.error(f"No such file or folder on the server: {folder_path}")
        else:
            ingest_with_progress([str(Path(folder_path).expanduser())])


def remove_document(doc_id: str, label: str) -> None:
    try:
        removed = get_checker(store_path()).store.remove_source(doc_id)
    except FactcheckError as exc:
        flash("error", str(exc))
        return
    store_changed()
    flash("success", f"Removed {removed} passages of {label}.")
    st.session_state.remove_sure = False
    st.session_state.remove_doc = None


def open_article(aid: str) -> None:
    """Reopen a recent article: checked again on the next run, its reviews read back from the database."""
    st.session_state.page = "Check & review"
    st.session_state.pending_article = aid


def upload_folder() -> Path:
    location = store_path()
    base = Path(".factcheck") if location.startswith(("http://", "https://")) else Path(location).parent
    return base / "uploads"


def sidebar() -> str:
    ss = st.session_state
    with st.sidebar:
        st.title("factcheck")
        st.caption("Review desk")
        page = st.radio("Page", ["Check & review", "Corpus"], key="page", label_visibility="collapsed")
        name = st.text_input("Reviewer", key="reviewer", help="Saved with every review you make.")
        if name and st.query_params.get("reviewer") != name:
            st.query_params["reviewer"] = name
        try:
            recent = get_reviews(reviews_path()).articles(limit=8)
        except FactcheckError as exc:
            st.error(str(exc))
            recent = []
        if recent:
            st.markdown("**Recent articles**")
            for info in recent:
                label = (info.text.strip().splitlines() or [info.name])[0][:48]
                st.button(f"{label} · {info.reviewed_claims} reviewed", key=f"recent-{info.article_id}",
                          width="stretch", type="tertiary", on_click=open_article, args=(info.article_id,))
        st.divider()
        with st.expander("Where the data lives"):
            st.caption(f"Evidence store: `{store_path()}`  \nReviews: `{reviews_path()}`  \n"
                       "Set FACTCHECK_STORE and FACTCHECK_REVIEWS to change them.")
    return page


def main() -> None:
    st.set_page_config(page_title="factcheck review desk", page_icon="🔎", layout="wide")
    html_block(CSS)
    state()
    try:
        page = sidebar()
        show_flash()
        if page == "Corpus":
            corpus_page()
        else:
            check_page()
    except FactcheckError as exc:  # the one boundary where library errors become messages
        st.error(str(exc))


main()
