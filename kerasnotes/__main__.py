"""``python -m kerasnotes``: the same as the ``kerasnotes`` command."""

from kerasnotes.cli import main

raise SystemExit(main())
