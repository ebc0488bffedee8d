"""The Corpus page: what the evidence store holds, adding documents to it, removing one.

On the team desk only editors and admins add or remove documents; a folder on the server is read only under
the configured corpus roots (``factcheck.evidence.roots``), also on the single-user desk once roots are set.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from desk import state
from desk.html import ROOT, display_source
from desk.state import flash
from factcheck import EvidenceStore, FactcheckError, Ingester, Settings
from factcheck.evidence.roots import files_under_roots
from factcheck.team import can, require

CORPUS = ROOT / "corpus"
DOCUMENT_TYPES = ["txt", "md", "markdown", "html", "htm", "pdf", "jsonl"]


def build_store_button(key: str) -> None:
    """The first run, when there is no store at all: one click builds one from the bundled demo corpus/."""
    if st.button(f"Build the evidence store from the demo {CORPUS.name}/", type="primary", key=key):
        ingest_with_progress([str(CORPUS)])


def demo_corpus_panel() -> None:
    """The bundled demo corpus, offered quietly: a store the user fills stays theirs unless they say so."""
    with st.expander(f"Bundled demo corpus ({CORPUS.name}/)"):
        st.caption("The demo documents (about Russia and North Korea, and scientific abstracts) that the example "
                   "article is checked against. Adding them mixes them into this store's evidence.")
        sure = st.checkbox("Yes, add the demo documents to this store", key="demo_sure")
        if st.button("Add the demo documents", disabled=not sure, key="add_demo"):
            ingest_with_progress([str(CORPUS)])


def ingest_with_progress(paths: list[str]) -> None:
    try:
        require(state.user(), "add_documents")
    except FactcheckError as exc:
        st.error(str(exc))
        return
    bar = st.progress(0.0, text="Reading files…")

    def progress(phase: str, done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"{phase.capitalize()}: {done} of {total}")

    settings = state.settings()
    try:
        store = EvidenceStore(settings.store, settings.collection, create=True)
        summary = Ingester(store, Settings(store=settings.store)).ingest(paths, progress)
    except FactcheckError as exc:
        bar.empty()
        st.error(str(exc))
        return
    finally:
        state.store_changed()
    bar.empty()
    kind = "success" if summary.documents else "warning"
    flash(kind, summary.describe().replace("\n", "  \n"))
    st.rerun()


@state.callback
def remove_document(doc_id: str, label: str) -> None:
    try:
        require(state.user(), "remove_documents")
        removed = state.get_checker(state.store_path()).store.remove_source(doc_id)
    except FactcheckError as exc:
        flash("error", str(exc))
        return
    state.store_changed()
    flash("success", f"Removed {removed} passages of {label}.")
    st.session_state.remove_sure = False
    st.session_state.remove_doc = None


def sources_table(count: int, may_remove: bool) -> None:
    try:
        sources = state.get_checker(state.store_path()).store.sources()
    except FactcheckError as exc:
        st.error(str(exc))
        sources = []
    st.markdown(f"**{len(sources)}** documents, **{count}** passages.")
    st.dataframe(
        [{"title": s.title or "", "passages": s.passages, "publisher": s.publisher or "", "date": s.date or "",
          "source": display_source(s.source), "doc_id": s.doc_id} for s in sources],
        hide_index=True, width="stretch", height=min(420, 38 + 35 * len(sources)))
    if not may_remove:
        return
    with st.expander("Remove a document"):
        ids = [s.doc_id for s in sources]
        labels = {s.doc_id: f"{s.title or s.doc_id} ({s.passages} passages)" for s in sources}
        doc_id = st.selectbox("Document", ids, format_func=labels.get, key="remove_doc", index=None,
                              placeholder="Choose a document")
        sure = st.checkbox("Yes, remove it from the store", key="remove_sure")
        st.button("Remove", disabled=doc_id is None or not sure, key="remove_button", on_click=remove_document,
                  args=(doc_id, labels.get(doc_id, doc_id)))


def ingest_server_folder(path: str) -> None:
    """Ingest a folder on the server: anywhere on the single-user desk without corpus roots (the user's own
    machine), else only what lies under the roots, and on the team desk for editors only."""
    roots = state.settings().corpus_roots
    user = state.user()
    if user is None and not roots:
        if not Path(path).expanduser().exists():
            st.error(f"No such file or folder on the server: {path}")
        else:
            ingest_with_progress([str(Path(path).expanduser())])
        return
    try:
        require(user, "ingest_folder")
        selection = files_under_roots(path, roots)
    except FactcheckError as exc:
        st.error(str(exc))
        return
    if selection.refused:
        flash("warning", f"Not read ({len(selection.refused)}): "
              + "; ".join(f"{r.path} — {r.reason}" for r in selection.refused[:10]))
    if not selection.files:
        st.error(f"No files to read under {selection.folder}.")
        return
    ingest_with_progress([str(p) for p in selection.files])


def folder_input() -> None:
    roots = state.settings().corpus_roots
    off = state.user() is not None and not roots
    folder_path = st.text_input("Or a folder on this server", key="corpus_folder", disabled=off,
                                placeholder=str(roots[0] if roots else CORPUS))
    if roots:
        st.caption("Read only under the corpus roots: " + ", ".join(f"`{root}`" for root in roots))
    elif off:
        st.caption("Off: no corpus roots are configured (FACTCHECK_CORPUS_ROOTS).")
    if st.button("Add the folder", disabled=off or not folder_path.strip(), key="add_folder"):
        ingest_server_folder(folder_path)


def corpus_page() -> None:
    user = state.user()
    may_add = can(user, "add_documents")
    st.subheader("Evidence store")
    st.caption(f"Store: `{state.store_path()}`")
    count = state.store_count()
    if count is None:
        st.warning("There is no store here yet: add your own documents below, or start from the demo corpus."
                   if may_add else "There is no store here yet: an editor builds it.")
        if may_add:
            build_store_button("build_store_corpus")
    elif count == 0:
        st.info("The store is empty: add your documents below." if may_add else "The store is empty.")
    else:
        sources_table(count, can(user, "remove_documents"))
    if not may_add:
        st.caption(f"You are a {user.role}: editors add and remove documents.")
        return

    st.subheader("Add documents")
    uploads = st.file_uploader("Upload documents (.txt, .md, .html, .pdf, .jsonl)", type=DOCUMENT_TYPES,
                               accept_multiple_files=True, key="corpus_uploads")
    if st.button("Add the uploaded files", disabled=not uploads, key="add_uploads"):
        folder = state.settings().uploads
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for upload in uploads:
            target = folder / Path(upload.name).name
            target.write_bytes(upload.getvalue())
            paths.append(str(target))
        ingest_with_progress(paths)
    if can(user, "ingest_folder"):
        folder_input()
    if count is not None:
        demo_corpus_panel()
