"""``python -m kerasnotes``: the same as the ``kerasnotes`` command."""

from kerasnotes.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
