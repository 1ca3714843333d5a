"""The server's SSH host key: generated once (ed25519, mode 0600), then always reused.

A key file that exists but cannot be read as a private key is a hard error: overwriting it would
silently change the server's identity (clients would see a host-key-changed warning, or worse, learn
to ignore it).
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import asyncssh

log = logging.getLogger("stargate_tui.serve")

KEY_NAME = "ssh_host_ed25519_key"


class HostKeyError(Exception):
    """The host key file exists but cannot be used; the message is one line for the operator."""


def default_host_key_path(environ: dict[str, str] | None = None) -> Path:
    """`$XDG_STATE_HOME/stargate-tui/ssh_host_ed25519_key` (default `~/.local/state/...`)."""
    env = os.environ if environ is None else environ
    state = env.get("XDG_STATE_HOME") or ""
    base = Path(state) if os.path.isabs(state) else Path.home() / ".local" / "state"
    return base / "stargate-tui" / KEY_NAME


def load_or_create_host_key(path: Path) -> asyncssh.SSHKey:
    """Read the key at `path`, or create it there (parents 0700, file 0600) if there is none."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _create(path)
    except OSError as exc:
        raise HostKeyError(f"cannot read host key {path}: {exc.strerror or exc}") from None
    try:
        key = asyncssh.import_private_key(data)
    except (asyncssh.KeyImportError, ValueError, TypeError) as exc:
        raise HostKeyError(
            f"host key {path} is not a usable private key ({_one_line(exc)}); "
            "fix or remove it yourself, it is never overwritten"
        ) from None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("host key %s is readable by others (mode %o); it should be 0600", path, mode)
    return key


def _create(path: Path) -> asyncssh.SSHKey:
    key = asyncssh.generate_private_key("ssh-ed25519")
    data = key.export_private_key()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # O_EXCL: if another process created it meanwhile, we fail rather than overwrite
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise HostKeyError(f"cannot create host key {path}: {exc.strerror or exc}") from None
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, data)
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise HostKeyError(f"cannot write host key {path}: {exc.strerror or exc}") from None
    os.close(fd)
    log.info("generated a new host key at %s", path)
    return key


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
