"""What a remote client may ask of a session, checked before any process is started.

Everything the client sends (the exec command, the terminal type, environment variables, sizes) is
untrusted: it is validated here, reduced to `SessionParams`, and only those plain values reach the
session child. Nothing from the client is ever executed or passed through as-is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Container, Mapping
from dataclasses import asdict, dataclass

from ..views import PANES

DEFAULT_TERM = "xterm-256color"
TERM_PATTERN = re.compile(r"[a-zA-Z0-9.+_-]{1,64}")
TRUECOLOR_VALUES = frozenset({"truecolor", "24bit"})
MAX_COMMAND_LENGTH = 256
#: Terminal sizes outside these bounds are clamped (a huge size would make the app allocate a huge screen).
MIN_COLS, MAX_COLS = 1, 1000
MIN_ROWS, MAX_ROWS = 1, 500

EXIT_USAGE = 2


#: The exec command's first word that starts the accessible mode (`ssh HOST accessible [money]`).
ACCESSIBLE = "accessible"


class CommandRefused(ValueError):
    """The SSH exec command is not a pane or `open RECORD_ID`; the message is shown to the client."""


@dataclass(frozen=True)
class Target:
    pane: str | None = None
    record: str | None = None
    accessible: bool = False  # the linear accessible mode (accessible.py) instead of the explorer


@dataclass(frozen=True)
class SessionParams:
    """The only values that cross from the SSH server to a session child."""

    term: str = DEFAULT_TERM
    colorterm: str | None = None
    cols: int = 80
    rows: int = 24
    pane: str | None = None
    record: str | None = None
    lang: str = "en"
    accessible: bool = False  # run the accessible mode instead of the explorer
    pty: bool = True  # the session's descriptor is a PTY slave; else a socket (accessible mode only)

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> SessionParams:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("session parameters must be an object")
        params = cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        params.check()
        return params

    def check(self) -> None:
        """Re-validate on the child side: the child trusts nothing it did not check itself."""
        if safe_term(self.term) != self.term:
            raise ValueError(f"bad terminal type {self.term!r}")
        if self.colorterm not in (None, *TRUECOLOR_VALUES):
            raise ValueError(f"bad COLORTERM {self.colorterm!r}")
        if (clamp_size(self.cols, self.rows)) != (self.cols, self.rows):
            raise ValueError(f"bad size {self.cols!r}x{self.rows!r}")
        if self.pane is not None and self.pane not in PANES:
            raise ValueError(f"bad pane {self.pane!r}")
        if self.lang not in ("en", "fr"):
            raise ValueError(f"bad language {self.lang!r}")
        if self.record is not None and not isinstance(self.record, str):
            raise ValueError("bad record id")
        if not isinstance(self.accessible, bool) or not isinstance(self.pty, bool):
            raise ValueError("bad session mode")
        if not self.pty and not self.accessible:
            raise ValueError("the explorer needs a terminal")


def spoken_duration(seconds: float) -> str:
    """`15 min`, `4 h`, `90 s`: a time limit as the client is told it."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def safe_term(term: object) -> str:
    """The client's terminal type when it matches a conservative pattern, else the default."""
    if isinstance(term, str) and TERM_PATTERN.fullmatch(term):
        return term
    return DEFAULT_TERM


def safe_colorterm(environment: Mapping[str, str]) -> str | None:
    """COLORTERM is honoured only when it announces 24-bit colour."""
    value = environment.get("COLORTERM")
    return value if value in TRUECOLOR_VALUES else None


def clamp_size(cols: int, rows: int) -> tuple[int, int]:
    """A client-reported size kept within sane bounds (0 means "unknown": use 80×24)."""
    cols = cols or 80
    rows = rows or 24
    return max(MIN_COLS, min(MAX_COLS, cols)), max(MIN_ROWS, min(MAX_ROWS, rows))


def usage_hint() -> str:
    return (
        f"try `ssh -t HOST PANE` (PANE is one of {', '.join(PANES)}) or `ssh -t HOST open RECORD_ID`, "
        "or plain `ssh HOST` for the overview, or `ssh HOST accessible` for the accessible mode"
    )


def parse_command(command: str, record_ids: Container[str]) -> Target:
    """An SSH exec command read as a deep link: `PANE` or `open RECORD_ID`, either after
    `accessible` or not. Never executed.

    Raises CommandRefused with a message for the client for anything else.
    """
    if len(command) > MAX_COMMAND_LENGTH:
        raise CommandRefused(f"stargate-tui: command too long; {usage_hint()}")
    words = command.split()
    if words and words[0].lower() == ACCESSIBLE:
        target = parse_command(" ".join(words[1:]), record_ids) if len(words) > 1 else Target()
        if target.accessible:  # `accessible accessible`
            raise CommandRefused(f"stargate-tui: {command!r}: one `accessible` is enough; {usage_hint()}")
        return Target(target.pane, target.record, accessible=True)
    if not words:
        return Target()
    if len(words) == 1 and words[0].lower() in PANES:
        return Target(pane=words[0].lower())
    if len(words) == 2 and words[0] == "open":
        if words[1] in record_ids:
            return Target(record=words[1])
        raise CommandRefused(f"stargate-tui: unknown record id {words[1]!r}; {usage_hint()}")
    raise CommandRefused(
        f"stargate-tui: this server only opens the read-only explorer, it runs no commands "
        f"(got {command!r}); {usage_hint()}"
    )
