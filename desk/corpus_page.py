"""The Corpus page: what the evidence store holds, adding documents to it, removing one."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from desk import state
from desk.html import ROOT, display_source
from desk.state import flash
from factcheck import EvidenceStore, FactcheckError, Ingester, Settings

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


def remove_document(doc_id: str, label: str) -> None:
    try:
        removed = state.get_checker(state.store_path()).store.remove_source(doc_id)
    except FactcheckError as exc:
        flash("error", str(exc))
        return
    state.store_changed()
    flash("success", f"Removed {removed} passages of {label}.")
    st.session_state.remove_sure = False
    st.session_state.remove_doc = None


def sources_table(count: int) -> None:
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
    with st.expander("Remove a document"):
        ids = [s.doc_id for s in sources]
        labels = {s.doc_id: f"{s.title or s.doc_id} ({s.passages} passages)" for s in sources}
        doc_id = st.selectbox("Document", ids, format_func=labels.get, key="remove_doc", index=None,
                              placeholder="Choose a document")
        sure = st.checkbox("Yes, remove it from the store", key="remove_sure")
        st.button("Remove", disabled=doc_id is None or not sure, key="remove_button", on_click=remove_document,
                  args=(doc_id, labels.get(doc_id, doc_id)))


def corpus_page() -> None:
    st.subheader("Evidence store")
    st.caption(f"Store: `{state.store_path()}`")
    count = state.store_count()
    if count is None:
        st.warning("There is no store here yet: add your own documents below, or start from the demo corpus.")
        build_store_button("build_store_corpus")
    elif count == 0:
        st.info("The store is empty: add your documents below.")
    else:
        sources_table(count)

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
    folder_path = st.text_input("Or a folder on this server", key="corpus_folder", placeholder=str(CORPUS))
    if st.button("Add the folder", disabled=not folder_path.strip(), key="add_folder"):
        if not Path(folder_path).expanduser().exists():
            st.error(f"No such file or folder on the server: {folder_path}")
        else:
            ingest_with_progress([str(Path(folder_path).expanduser())])
    if count is not None:
        demo_corpus_panel()
