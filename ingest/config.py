"""Where the index lives, and the environment planqa runs in."""
from __future__ import annotations

import os
from pathlib import Path

# Default index folder, relative to the working directory; override with
# --db or the PLANQA_DB environment variable.
DEFAULT_DB_DIR = ".planqa"


def default_db_dir() -> Path:
    """``$PLANQA_DB`` if set, else ``./.planqa``."""
    return Path(os.environ.get("PLANQA_DB") or DEFAULT_DB_DIR)


def offline_env() -> None:
    """Make every library stay on this machine: no model hub, no telemetry.

    Sets (unless already set): ``HF_HUB_OFFLINE=1`` (a hub name fails in
    milliseconds instead of retrying for ~70 s), ``HF_HUB_DISABLE_TELEMETRY``,
    ``ANONYMIZED_TELEMETRY=False`` (Chroma), ``GRADIO_ANALYTICS_ENABLED=False``
    (Gradio's version check and analytics), ``TOKENIZERS_PARALLELISM=false``.
    """
    for key, value in {
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "TOKENIZERS_PARALLELISM": "false",
        "DO_NOT_TRACK": "1",
    }.items():
        os.environ.setdefault(key, value)
