"""`python -m stargate_tui.serve ssh|web ...`: the same as `stargate-tui serve ...`."""

import sys

from .cli import main

sys.exit(main())
