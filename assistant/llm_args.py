"""Command-line flags for the optional LLM back-end, shared by
``python -m assistant ask`` and ``python app.py`` (kept apart from
:mod:`assistant.llm` so that parsing arguments imports nothing heavy)."""
from __future__ import annotations

import argparse


def add_llm_arguments(p: argparse.ArgumentParser) -> None:
    """Optional LLM answer flags (see :mod:`assistant.llm`); each overrides
    its environment variable. The API key is read from $PLANQA_LLM_API_KEY
    or $OPENAI_API_KEY only."""
    g = p.add_argument_group("LLM answer (optional; every sentence is checked against its cited source)")
    g.add_argument("--llm", default=None, metavar="{none,openai,local}",
                   help="answer with an LLM: an OpenAI-compatible server or a local transformers model (default: $PLANQA_LLM or none)")
    g.add_argument("--llm-base-url", default=None, metavar="URL",
                   help="openai: the server's API root, e.g. http://127.0.0.1:8080/v1 (default: $PLANQA_LLM_BASE_URL)")
    g.add_argument("--llm-model", default=None, metavar="NAME_OR_PATH",
                   help="openai: model name; local: model folder or cached hub name (default: $PLANQA_LLM_MODEL)")
    g.add_argument("--llm-timeout", type=float, default=None, metavar="S",
                   help="seconds per request / generation (default: $PLANQA_LLM_TIMEOUT or 60)")
    g.add_argument("--llm-max-tokens", type=int, default=None, metavar="N", help="most tokens generated (default 512)")


def config_from_args(args: argparse.Namespace):
    """The :class:`~assistant.llm.LLMConfig` from parsed flags (flags first,
    then the environment), validated.

    Raises:
        assistant.llm.LLMConfigError: unknown back-end, missing URL/model.
    """
    from .llm import LLMConfig

    config = LLMConfig.from_env(backend=args.llm, base_url=args.llm_base_url, model=args.llm_model,
                                timeout_s=args.llm_timeout, max_tokens=args.llm_max_tokens)
    config.validate()
    return config
