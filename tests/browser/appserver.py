"""Helpers for the UI tests: run ``python app.py`` as a subprocess on a free
port, copy an index, launch Debian's Chromium through Playwright.

Not a test module (pytest collects only ``test_*.py``); imported by
``tests/test_app_browser.py`` and ``tests/test_app_client.py``.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
URL_RE = re.compile(r"planqa UI running at (http://\S+)")
# Safety net for a hung start (an app that never prints its URL); not a
# performance assertion.
START_DEADLINE_S = 300
# The same for a Chroma server's heartbeat.
CHROMA_START_DEADLINE_S = 60

# A small plan-like text whose title and body carry HTML that must never
# run: an <img> with an onerror handler and a <script> element.
XSS_NAME = "xss-test.txt"
XSS_TEXT = (
    "<script>alert(1)</script> 網頁安全測試說明\n"
    "一、本測試文件的聯絡窗口為資訊安全推動小組，負責審查網站內容。\n"
    "二、網站範例程式碼 <img src=x onerror=alert(1)> 與 <script>alert(1)</script> 必須顯示為純文字，不得執行。\n"
    "三、資訊安全推動小組每年辦理 12 場網站安全檢測。\n"
)
XSS_QUESTION = "網頁安全測試說明的聯絡窗口是哪個單位？"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_index(src: Path, dst: Path) -> Path:
    """Copy an index folder (Chroma, BM25, LSA) so that a test may change
    the copy; returns ``dst``."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("uploads"))
    return dst


def app_env(tmp: Path) -> dict[str, str]:
    """The environment for an app subprocess: the test run's, unbuffered,
    with Gradio's upload cache in ``tmp`` and no credentials inherited."""
    env = os.environ.copy()
    env.pop("PLANQA_AUTH", None)
    env.update(PYTHONUNBUFFERED="1", GRADIO_TEMP_DIR=str(tmp / "gradio-tmp"), GRADIO_ANALYTICS_ENABLED="False")
    return env


def _terminate(proc: subprocess.Popen | None, log=None) -> None:
    """SIGTERM ``proc`` if it runs, SIGKILL it after 20 s; close its log."""
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if log is not None:
        log.close()


class AppServer:
    """``python app.py --db DB --port PORT`` running in the background.

    Use as a context manager (``with AppServer(db, tmp) as app: app.url``);
    the console output goes to ``tmp/app.log``.
    """

    def __init__(self, db: Path, tmp: Path, *extra: str, env: dict[str, str] | None = None):
        self.extra_env = dict(env or {})
        self.db = Path(db)
        self.tmp = Path(tmp)
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.log_path = self.tmp / "app.log"
        self.port = free_port()
        self.args = [sys.executable, str(APP), "--db", str(self.db), "--port", str(self.port), *extra]
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def log(self) -> str:
        """The app's console output so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def start(self) -> "AppServer":
        """Start the app and wait until it prints its URL.

        Raises:
            RuntimeError: the app exited, or printed no URL in
                :data:`START_DEADLINE_S` (the log tail is in the message).
        """
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.args, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                     env={**app_env(self.tmp), **self.extra_env}, start_new_session=True)
        deadline = time.monotonic() + START_DEADLINE_S
        while True:
            m = URL_RE.search(self.log())
            if m:
                self.url = m.group(1)
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"app exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"app printed no URL within {START_DEADLINE_S} s:\n{self.log()[-3000:]}")
            time.sleep(0.25)

    def stop(self) -> None:
        """Stop the app (SIGTERM, then SIGKILL if it lingers; a Ctrl-C would
        wait for open browser connections to close)."""
        _terminate(self.proc, getattr(self, "_log", None))

    def __enter__(self) -> "AppServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class ChromaServer:
    """``chroma run --path DIR --host 127.0.0.1 --port PORT`` in the
    background, for the client/server tests and ``benchmarks/scale_out.py``.

    Use as a context manager (``with ChromaServer(folder) as (host, port):``);
    the data lives in ``folder/data`` and the console output goes to
    ``folder/server.log``.

    Raises:
        FileNotFoundError: the ``chroma`` CLI is not installed.
        RuntimeError: the server exited, or its heartbeat did not answer
            within :data:`CHROMA_START_DEADLINE_S`.
    """

    def __init__(self, folder: Path):
        exe = shutil.which("chroma")
        if exe is None:
            raise FileNotFoundError("the chroma CLI is not installed")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.host, self.port = "127.0.0.1", free_port()
        self.args = [exe, "run", "--path", str(self.folder / "data"), "--host", self.host, "--port", str(self.port)]
        self.proc: subprocess.Popen | None = None

    def start(self) -> tuple[str, int]:
        """Start the server; ``(host, port)`` once its heartbeat answers."""
        import chromadb
        from chromadb.config import Settings

        self._log = open(self.folder / "server.log", "wb")
        self.proc = subprocess.Popen(self.args, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + CHROMA_START_DEADLINE_S
        while True:
            if self.proc.poll() is not None:
                log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}: {log}")
            try:
                chromadb.HttpClient(host=self.host, port=self.port,
                                    settings=Settings(anonymized_telemetry=False)).heartbeat()
                return self.host, self.port
            except Exception:  # noqa: BLE001 - not up yet
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"chroma server did not answer its heartbeat within {CHROMA_START_DEADLINE_S} s")
                time.sleep(0.2)

    def stop(self) -> None:
        """Terminate the server (SIGKILL if it lingers)."""
        _terminate(self.proc, getattr(self, "_log", None))

    def __enter__(self) -> tuple[str, int]:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def launch_chromium(playwright):
    """Debian's Chromium, headless, with background networking off."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    """True for URLs that stay on this machine (127.0.0.1, localhost,
    data:, blob:, about:)."""
    return url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "about:"))
