"""``python app.py``: the bind-address rule and the argument checks, run as
real subprocesses (they exit before Gradio is imported or an index opened)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planqa_ui.cli import UsageError, check_bind, is_loopback, parse_auth, url_for

ROOT = Path(__file__).resolve().parents[1]


def run_app(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = os.environ.copy()
    environ.pop("PLANQA_AUTH", None)
    environ.update(env or {})
    return subprocess.run([sys.executable, "app.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=environ)


def test_public_address_without_credentials_exits_2_with_one_line(tmp_path):
    proc = run_app("--host", "0.0.0.0", "--db", str(tmp_path / "db"))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines == ["error: refusing to bind to 0.0.0.0 without credentials: pass --auth user:password "
                     "or set PLANQA_AUTH=user:password, or --accounts FILE (or bind to 127.0.0.1)"]
    assert proc.stdout == ""
    assert not (tmp_path / "db").exists(), "nothing may be created before the arguments are accepted"


def test_lan_address_without_credentials_is_refused_too(tmp_path):
    proc = run_app("--host", "192.168.1.20", "--db", str(tmp_path / "db"))
    assert proc.returncode == 2
    assert "refusing to bind to 192.168.1.20 without credentials" in proc.stderr


def test_malformed_credentials_are_refused(tmp_path):
    proc = run_app("--host", "0.0.0.0", "--db", str(tmp_path / "db"), env={"PLANQA_AUTH": "staff"})
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: credentials must be given as user:password (both non-empty)"


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.1.1", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("example.org", False), ("", False),
])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_check_bind_and_auth_parsing():
    check_bind("127.0.0.1", None)
    check_bind("0.0.0.0", ("staff", "pw"))
    with pytest.raises(UsageError, match="refusing to bind to 0.0.0.0"):
        check_bind("0.0.0.0", None)
    assert parse_auth("staff:pa:ss") == ("staff", "pa:ss")
    assert parse_auth(None) is None and parse_auth("") is None
    for bad in ("staff", ":pw", "staff:"):
        with pytest.raises(UsageError):
            parse_auth(bad)


def test_url_for():
    assert url_for("127.0.0.1", 7860) == "http://127.0.0.1:7860"
    assert url_for("0.0.0.0", 8080) == "http://127.0.0.1:8080"
    assert url_for("::1", 7860) == "http://[::1]:7860"
