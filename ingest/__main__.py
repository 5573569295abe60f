"""``python -m ingest``: see :mod:`ingest.cli`."""
import signal
import sys

from .cli import main

# A CLI piped into `head` ends quietly (set here, not in main(), so that
# callers of main() in the same process keep Python's own SIGPIPE handling).
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
sys.exit(main())
