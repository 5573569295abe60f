"""``python -m assistant``: see :mod:`assistant.cli`."""
import sys

from .cli import main

sys.exit(main())
