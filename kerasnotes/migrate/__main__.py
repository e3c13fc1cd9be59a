"""``python -m kerasnotes.migrate``: the same as ``kerasnotes migrate``."""

import sys

from kerasnotes.migrate import main

sys.exit(main())
