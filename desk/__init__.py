"""The review desk's parts (run by ``app.py``): state, html, check_page, review_panel, export_panel, corpus_page.

Not part of the installed library: ``streamlit run app.py`` imports it from the project root.
"""
