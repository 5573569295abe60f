"""``python app.py`` — start the planqa web UI.

Examples::

    python app.py                                  # http://127.0.0.1:7860, index ./.planqa
    python app.py --port 8080 --db /srv/planqa     # another port and index
    python app.py --host 0.0.0.0 --auth staff:s3cret   # reachable from the LAN
    PLANQA_AUTH=staff:s3cret python app.py --host 0.0.0.0
    python app.py --host 0.0.0.0 --accounts staff.txt  # staff accounts, bcrypt-hashed

The UI binds to 127.0.0.1 unless told otherwise; any other address needs
credentials (``--auth user:password`` or ``PLANQA_AUTH``, or a file of
staff accounts with hashed passwords, :mod:`planqa_ui.accounts`); failed
logins are slowed down and never logged. Nothing is
shared through Gradio's tunnel and no analytics are sent. On an empty index
the shipped corpus (``corpus/pdf``) is ingested first, with a progress bar
on the console.

Exit status: 0 after a clean shutdown (Ctrl-C), 2 on a usage error (bad
arguments, a non-loopback address without credentials, a port in use, an
index that cannot be opened).
"""
from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

from assistant.llm_args import add_llm_arguments, config_from_args

from ingest.config import CHROMA_HOST_ENV, CHROMA_PORT_ENV, default_db_dir, offline_env

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "corpus" / "pdf"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
AUTH_ENV = "PLANQA_AUTH"
#: Requests of one event (a question, a claim …) served at once: answering
#: is CPU-bound Python with its C/Rust parts (Chroma, numpy) releasing the
#: GIL, so two overlap on the 2 cores planqa is sized for; more only queue
#: inside the process (benchmarks/load.py).
CONCURRENCY = 2
#: Requests waiting in Gradio's queue before new ones are refused with
#: "queue full" rather than waiting without bound.
QUEUE_SIZE = 256


class UsageError(Exception):
    """A one-line problem with the command line; exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``python app.py``."""
    p = argparse.ArgumentParser(prog="python app.py", description="planqa web UI: ask the plan documents, "
                                "manage the index, verify claims.")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to bind (default {DEFAULT_HOST}; any other address requires --auth)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--chroma-host", default=None,
                   help=f"a Chroma server holding the vectors (default ${CHROMA_HOST_ENV}; none: the embedded store)")
    p.add_argument("--chroma-port", type=int, default=None, help=f"its port (default ${CHROMA_PORT_ENV} or 8000)")
    p.add_argument("--db", type=Path, default=None, help="index folder (default: $PLANQA_DB or ./.planqa)")
    add_llm_arguments(p)
    p.add_argument("--auth", default=None, metavar="USER:PASSWORD",
                   help=f"require this login (or set {AUTH_ENV}=user:password)")
    p.add_argument("--accounts", type=Path, default=None, metavar="FILE",
                   help="require a login from this file of staff accounts (user:bcrypt-hash lines, written by "
                        "`python -m planqa_ui.accounts FILE USER`)")
    return p


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """``"user:password"`` → ``("user", "password")``; ``None``/``""`` →
    ``None``.

    Raises:
        UsageError: no colon, or an empty user or password.
    """
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise UsageError("credentials must be given as user:password (both non-empty)")
    return user, password


def check_bind(host: str, auth) -> None:
    """Refuse a non-loopback address without credentials (``auth``: None,
    or the login check).

    Raises:
        UsageError: with the one-line reason.
    """
    if not is_loopback(host) and auth is None:
        raise UsageError(f"refusing to bind to {host} without credentials: pass --auth user:password "
                         f"or set {AUTH_ENV}=user:password, or --accounts FILE (or bind to {DEFAULT_HOST})")


def login_check(single: tuple[str, str] | None, accounts_file: Path | None):
    """The login function Gradio calls (:class:`planqa_ui.accounts.Authenticator`,
    failed logins slowed down), or None when no credentials are configured.

    Raises:
        UsageError: the accounts file cannot be used.
    """
    from .accounts import AccountsError, Authenticator, load_accounts

    if single is None and accounts_file is None:
        return None
    try:
        accounts = load_accounts(accounts_file) if accounts_file is not None else {}
    except AccountsError as err:
        raise UsageError(str(err)) from None
    return Authenticator(accounts, single)


def url_for(host: str, port: int) -> str:
    """The URL to print for ``host:port`` (0.0.0.0 is reached as 127.0.0.1)."""
    shown = DEFAULT_HOST if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def ingest_corpus(service, corpus: Path = CORPUS_DIR, out=None) -> object | None:
    """Ingest ``corpus`` into the service's index when the index is empty,
    with a tqdm progress bar on ``out`` (default stderr).

    Returns:
        The :class:`~ingest.pipeline.IngestReport`, or ``None`` when the
        index already had documents.
    """
    from tqdm import tqdm

    out = out or sys.stderr
    if service.documents():
        return None
    print(f"planqa: the index at {service.db_dir} is empty; ingesting the shipped corpus ({corpus}) "
          "— a few minutes the first time (encoding with e5), once", file=out, flush=True)

    def progress(files):
        yield from tqdm(files, desc="ingesting", unit="file", file=out, mininterval=0.5)
        # ingest_paths writes the index once every file is read
        print("planqa: writing the index (embeddings, BM25) …", file=out, flush=True)

    report = service.ingest_paths([corpus], progress=progress, embed_progress=True)
    print(f"planqa: {len(report.added)} documents, {report.pages} pages, {report.chunks} chunks "
          f"in {report.seconds:.0f} s", file=out, flush=True)
    for line in report.errors:
        print(f"planqa: skipped {line}", file=out, flush=True)
    return report


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python app.py``; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        auth = login_check(parse_auth(args.auth if args.auth is not None else os.environ.get(AUTH_ENV)),
                           args.accounts)
        check_bind(args.host, auth)
        if not 0 < args.port < 65536:
            raise UsageError(f"invalid port {args.port}")
        llm_config = config_from_args(args)
    except (UsageError, ValueError) as err:  # LLMConfigError is a ValueError
        print(f"error: {err}", file=sys.stderr)
        return 2
    offline_env()  # before Gradio is imported (GRADIO_ANALYTICS_ENABLED=False …)
    from ingest.store import StoreError

    from .service import PlanService

    db_dir = args.db or default_db_dir()
    # the server is read by every index opened in this process (answers,
    # verify, audit, overview): set once here, as PLANQA_DB is for --db
    if args.chroma_host:
        os.environ[CHROMA_HOST_ENV] = args.chroma_host
    if args.chroma_port:
        os.environ[CHROMA_PORT_ENV] = str(args.chroma_port)
    try:
        from assistant.llm import make_generator

        service = PlanService(db_dir, generator=make_generator(llm_config))
        ingest_corpus(service)
        service.warm_up()
    except StoreError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    from .ui import build_demo, launch_kwargs

    demo = build_demo(service)
    try:
        demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE).launch(
                            server_name=args.host, server_port=args.port, share=False, auth=auth,
                            prevent_thread_lock=True, quiet=True, show_error=False, ssr_mode=False,
                            mcp_server=False, pwa=False, enable_monitoring=False, **launch_kwargs())
    except OSError as err:
        print(f"error: cannot listen on {args.host}:{args.port}: {str(err).splitlines()[0]}", file=sys.stderr)
        return 2
    print(f"planqa UI running at {url_for(args.host, demo.server_port or args.port)} "
          f"(index: {db_dir}; Ctrl-C to stop)", flush=True)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    return 0
