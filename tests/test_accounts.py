"""Staff accounts (planqa_ui/accounts.py): a file of bcrypt hashes written by
``python -m planqa_ui.accounts``, one-line errors for a bad file, failed
logins slowed down, and a real ``python app.py --accounts FILE`` that lets
staff in, keeps others out and never logs a credential."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pytest
import requests

from conftest import ROOT, run_cli
from planqa_ui.accounts import (FREE_FAILURES, AccountsError, Authenticator, hash_password, load_accounts,
                                set_password)
from tests.browser.appserver import AppServer


def test_the_accounts_file_is_written_hashed_and_read_back(tmp_path):
    path = tmp_path / "staff.txt"
    out = subprocess.run([sys.executable, "-m", "planqa_ui.accounts", str(path), "lin"], cwd=ROOT,
                         input="correct horse\n", capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "correct horse" not in out.stdout + out.stderr
    set_password(path, "chen", "另一個密碼")
    set_password(path, "lin", "new horse")  # replaces lin's line
    text = path.read_text(encoding="utf-8")
    assert "horse" not in text and "密碼" not in text and text.count("lin:") == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    accounts = load_accounts(path)
    assert set(accounts) == {"lin", "chen"} and all(h.startswith("$2b$") for h in accounts.values())
    auth = Authenticator(accounts, base_delay=0.0)
    assert auth("lin", "new horse") and auth("chen", "另一個密碼")
    assert not auth("lin", "correct horse") and not auth("nobody", "new horse")


@pytest.mark.parametrize("content, reason", [
    ("staff:s3cret\n", "line 1: expected user:bcrypt-hash"),       # a plain-text password
    ("# only a comment\n", "no accounts in the file"),
    (f"a:{'$2b$04$' + 'x' * 53}\na:{'$2b$04$' + 'y' * 53}\n", "line 2: user 'a' appears twice"),
])
def test_a_bad_accounts_file_is_one_line(tmp_path, content, reason):
    path = tmp_path / "staff.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AccountsError) as info:
        load_accounts(path)
    assert str(info.value) == f"{path}: {reason}" + (
        " (write it with `python -m planqa_ui.accounts FILE USER`)" if "expected" in reason else "")


def test_repeated_failed_logins_are_slowed_down():
    auth = Authenticator({"staff": hash_password("s3cret", rounds=4)}, base_delay=0.2)
    times = []
    for _ in range(FREE_FAILURES + 2):
        t = time.perf_counter()
        assert not auth("staff", "guess")
        times.append(time.perf_counter() - t)
    assert max(times[:FREE_FAILURES]) < 0.15            # the first failures are answered at once
    assert times[FREE_FAILURES] >= 0.2 and times[FREE_FAILURES + 1] >= 0.4  # then the wait doubles
    assert auth("staff", "s3cret")                      # the right password still gets in …
    assert auth.delay("staff") == 0.0                   # … and clears the count
    assert auth.delay("someone-else") == 0.0


def test_the_app_lets_staff_in_and_keeps_others_out(tmp_path, small_docs):
    db = tmp_path / "db"
    assert run_cli(str(small_docs["aigo"]), "--db", str(db), "--embed-model", "lsa").returncode == 0
    accounts = tmp_path / "staff.txt"
    set_password(accounts, "lin", "correct horse")
    with AppServer(db, tmp_path / "app", "--host", "127.0.0.1", "--accounts", str(accounts)) as app:
        assert requests.get(app.url, timeout=30).status_code in (200, 401)
        bad = requests.post(f"{app.url}/login", data={"username": "lin", "password": "wrong"}, timeout=60)
        assert bad.status_code >= 400
        good = requests.post(f"{app.url}/login", data={"username": "lin", "password": "correct horse"},
                             timeout=60)
        assert good.status_code == 200 and good.cookies
        log = app.log()
    assert "correct horse" not in log and "wrong" not in log
    assert load_accounts(accounts)["lin"] not in log
    # a file that cannot be used stops the start in one line
    (tmp_path / "broken.txt").write_text("lin:plain\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "app.py", "--db", str(db), "--accounts", str(tmp_path / "broken.txt")],
                         cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={k: v for k, v in os.environ.items() if k != "PLANQA_AUTH"})
    assert out.returncode == 2 and out.stderr.strip().startswith("error: ") and len(out.stderr.splitlines()) == 1
