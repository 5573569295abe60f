"""Staff accounts for the web UI: a file of bcrypt-hashed passwords, checked
by a login function that slows down repeated failures.

The file (``python app.py --accounts FILE``) holds one ``user:hash`` per
line (``#`` starts a comment), the hash a bcrypt one (``$2b$12$…``), as
written by::

    python -m planqa_ui.accounts FILE USER      # asks for the password (or reads one line of stdin)

Nothing here prints or logs a password, a hash or a failed user name.

Failed logins: after :data:`FREE_FAILURES` failures in a row for one user
name (or from anyone, counted together, after ten times as many), every
further attempt waits ``base_delay * 2 ** (extra failures)`` seconds, at
most :data:`MAX_DELAY_S`, before it is answered; a success resets the user's
count.  The wait happens inside the login request, so a guesser gets a few
tries a minute instead of thousands.

Example:
    >>> auth = Authenticator({"staff": hash_password("s3cret", rounds=4)}, base_delay=0.0)
    >>> auth("staff", "s3cret"), auth("staff", "wrong"), auth("nobody", "s3cret")
    (True, False, False)
"""
from __future__ import annotations

import getpass
import sys
import threading
import time
from pathlib import Path

import bcrypt

#: Failures in a row (per user name) answered without delay.
FREE_FAILURES = 3
#: Longest wait before a failed login is answered (seconds).
MAX_DELAY_S = 30.0
#: bcrypt cost of new hashes (2**12 rounds, bcrypt's default).
ROUNDS = 12
# Checked against when the user name is unknown, so that an unknown name
# takes as long as a wrong password.
_DUMMY = bcrypt.hashpw(b"planqa", bcrypt.gensalt(4))


class AccountsError(Exception):
    """The accounts file cannot be used (one line naming the file and the reason)."""


def hash_password(password: str, *, rounds: int = ROUNDS) -> str:
    """A bcrypt hash of ``password`` (``$2b$…``).

    Raises:
        ValueError: an empty password, or one over bcrypt's 72 bytes.
    """
    raw = password.encode("utf-8")
    if not raw or len(raw) > 72:
        raise ValueError("a password must have 1 to 72 bytes")
    return bcrypt.hashpw(raw, bcrypt.gensalt(rounds)).decode("ascii")


def load_accounts(path: str | Path) -> dict[str, str]:
    """``{user: bcrypt hash}`` from an accounts file.

    Raises:
        AccountsError: unreadable file, a malformed line, a hash that is not
            bcrypt's, a repeated user, or no account at all.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AccountsError(f"{path}: cannot read the accounts file ({exc.__class__.__name__})") from None
    out: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, hashed = line.partition(":")
        if not sep or not user.strip() or not hashed.startswith(("$2a$", "$2b$", "$2y$")):
            raise AccountsError(f"{path}: line {number}: expected user:bcrypt-hash "
                                "(write it with `python -m planqa_ui.accounts FILE USER`)")
        if user in out:
            raise AccountsError(f"{path}: line {number}: user {user!r} appears twice")
        out[user.strip()] = hashed.strip()
    if not out:
        raise AccountsError(f"{path}: no accounts in the file")
    return out


def set_password(path: str | Path, user: str, password: str) -> None:
    """Add ``user`` to the accounts file (created if missing) or replace
    their hash; other lines are kept."""
    if not user or ":" in user or user != user.strip():
        raise ValueError("a user name must be non-empty, without ':' or surrounding spaces")
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    entry = f"{user}:{hash_password(password)}"
    kept = [ln for ln in lines if ln.partition(":")[0].strip() != user]
    path.write_text("\n".join(kept + [entry]) + "\n", encoding="utf-8")
    path.chmod(0o600)


class Authenticator:
    """The UI's login check: Gradio calls it with ``(username, password)``.

    Args:
        accounts: ``{user: bcrypt hash}`` (:func:`load_accounts`).
        single: one plain ``(user, password)`` pair (``--auth`` /
            ``PLANQA_AUTH``), checked as well.
        base_delay: seconds of the first wait after :data:`FREE_FAILURES`
            failures (doubling per further failure, up to :data:`MAX_DELAY_S`).
    """

    def __init__(self, accounts: dict[str, str], single: tuple[str, str] | None = None, *,
                 base_delay: float = 1.0):
        self.accounts = {u: h.encode("ascii") for u, h in accounts.items()}
        self.single = single
        self.base_delay = base_delay
        self._failures: dict[str, int] = {}
        self._all_failures = 0
        self._lock = threading.Lock()

    def delay(self, user: str) -> float:
        """Seconds the next failed attempt for ``user`` waits."""
        with self._lock:
            extra = max(self._failures.get(user, 0) - FREE_FAILURES,
                        self._all_failures - 10 * FREE_FAILURES, -1)
        return 0.0 if extra < 0 else min(self.base_delay * 2 ** extra, MAX_DELAY_S)

    def __call__(self, username: str, password: str) -> bool:
        ok = self._check(username or "", password or "")
        with self._lock:
            if ok:
                self._failures.pop(username, None)
                return True
        wait = self.delay(username)
        with self._lock:
            self._failures[username] = self._failures.get(username, 0) + 1
            self._all_failures += 1
        if wait:
            time.sleep(wait)
        return False

    def _check(self, username: str, password: str) -> bool:
        raw = password.encode("utf-8")[:72]
        hashed = self.accounts.get(username)
        good = bcrypt.checkpw(raw, hashed if hashed is not None else _DUMMY) and hashed is not None
        if self.single is not None:
            good = good or (username, password) == self.single
        return good


def main(argv: list[str] | None = None) -> int:
    """``python -m planqa_ui.accounts FILE USER``: set USER's password."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m planqa_ui.accounts FILE USER  (the password is asked for, or read from stdin)",
              file=sys.stderr)
        return 2
    path, user = args
    password = getpass.getpass(f"password for {user}: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        set_password(path, user, password)
    except (ValueError, OSError) as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 2
    print(f"{path}: password set for {user}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["AccountsError", "Authenticator", "FREE_FAILURES", "MAX_DELAY_S", "hash_password", "load_accounts",
           "set_password"]
