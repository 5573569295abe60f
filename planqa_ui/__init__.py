"""planqa's web UI (Gradio): chat with cited answers, document management and
claim verification.

Modules:

* :mod:`planqa_ui.highlight` — which spans of a cited passage support an
  answer sentence (figures, row labels, shared words);
* :mod:`planqa_ui.render` — every piece of HTML the UI shows, built from
  escaped text only;
* :mod:`planqa_ui.service` — the Gradio-free operations behind the UI (ask,
  list/ingest/remove documents, verify, audit) over one index folder;
* :mod:`planqa_ui.ui` — the Gradio Blocks app;
* :mod:`planqa_ui.cli` — ``python app.py``: argument checks, first-launch
  ingestion, launch.

Nothing in this package imports Gradio at import time except :mod:`.ui`, so
that :func:`ingest.config.offline_env` runs before Gradio is loaded.
"""
