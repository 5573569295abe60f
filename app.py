"""planqa web UI — a thin shell over ``assistant/`` and ``ingest/``.

    python app.py [--host 127.0.0.1] [--port 7860] [--db DIR] [--auth user:password]

See :mod:`planqa_ui.cli` for the options and :mod:`planqa_ui.ui` for the app.
"""
from __future__ import annotations

import sys

from ingest.config import offline_env

offline_env()  # GRADIO_ANALYTICS_ENABLED=False etc., before anything imports Gradio

from planqa_ui.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
