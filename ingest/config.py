"""Where the index lives, and the environment planqa runs in."""
from __future__ import annotations

import os
from pathlib import Path

# Default index folder, relative to the working directory; override with
# --db or the PLANQA_DB environment variable.
DEFAULT_DB_DIR = ".planqa"
# Embedding model of a new index (an existing index keeps its own):
# multilingual-e5-small (ingest.e5). On the dev split it beat the
# corpus-fitted LSA (same fusion weights): hit@5 0.833 vs 0.810, MRR 0.696
# vs 0.647, answer accuracy alike; it costs ~0.2 CPU-seconds per chunk the
# vector cache does not hold (README "Embedding models"). "lsa" is the fast one.
DEFAULT_EMBED_MODEL = "e5"


def default_db_dir() -> Path:
    """``$PLANQA_DB`` if set, else ``./.planqa``."""
    return Path(os.environ.get("PLANQA_DB") or DEFAULT_DB_DIR)


# A Chroma server to hold the vectors instead of the embedded store, for
# every entry point (CLIs, app, library calls) that is not given one:
# host and port (default 8000), as --chroma-host / --chroma-port.
CHROMA_HOST_ENV = "PLANQA_CHROMA_HOST"
CHROMA_PORT_ENV = "PLANQA_CHROMA_PORT"


def chroma_server(host: str | None = None, port: int | None = None) -> tuple[str | None, int]:
    """``(host, port)`` of the Chroma server to use: the arguments, else
    ``$PLANQA_CHROMA_HOST`` / ``$PLANQA_CHROMA_PORT``, else ``(None, 8000)``
    (no server: the embedded store)."""
    host = host or os.environ.get(CHROMA_HOST_ENV) or None
    return host, int(port or os.environ.get(CHROMA_PORT_ENV) or 8000)


def cache_dir() -> Path:
    """The user cache folder (not created here): ``$PLANQA_CACHE`` if set,
    else ``$XDG_CACHE_HOME/planqa``, else ``~/.cache/planqa`` (the XDG Base
    Directory default). It holds the vector cache (:mod:`ingest.vector_cache`)."""
    if os.environ.get("PLANQA_CACHE"):
        return Path(os.environ["PLANQA_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "planqa"


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
