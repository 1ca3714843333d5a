"""stargate-tui: a terminal explorer for the facts of the Stargate announcement."""

__version__ = "0.1.0"
