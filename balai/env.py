"""Small helpers that read settings from the environment (and an optional `.env` file)."""

from __future__ import annotations

import os
from pathlib import Path


def load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines into os.environ without overriding what is already set."""
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- fail closed (ADR 0017) ---------------------------------------------------------------------------

MIN_SECRET_LENGTH = 32


def local_secret_key(path: Path) -> str:
    """A random secret kept in `path` (created once, readable by its owner only).

    Outside production, without SECRET_KEY: every process of one installation (web server, worker,
    management commands) shares it and it survives restarts, so sessions and keys derived from it
    (NIK encryption by default, webhook secrets in demo mode) stay valid, yet nobody else knows it.
    """
    import secrets
    import tempfile

    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written in full under another name, then linked into place: a process starting at the same moment
    # sees either no file or the whole key, and the first link wins.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(50) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)
    return path.read_text(encoding="ascii").strip()


def channel_problems(channels: dict[str, object], *, production: bool) -> list[str]:
    """What is wrong with the channel settings (name → parsed JSON value); [] when nothing.

    A channel is on when its setting is given. In production an enabled channel needs its own webhook
    secret ("inbound_secret", and "receipt_secret" if given), at least MIN_SECRET_LENGTH characters, and an
    outgoing gateway URL must be https (plain http only to this machine). Outside production a webhook
    without a secret refuses every request, so nothing needs checking then.
    """
    from balai.net import insecure_url

    problems: list[str] = []
    for name, config in channels.items():
        if config in (None, {}, ""):
            continue
        if not isinstance(config, dict):
            problems.append(f"{name} must be a JSON object")
            continue
        if not production:
            continue
        for key in ("inbound_secret", "receipt_secret"):
            value = config.get(key)
            if key == "receipt_secret" and value in (None, ""):
                continue
            if not isinstance(value, str) or len(value) < MIN_SECRET_LENGTH:
                problems.append(f'{name} needs "{key}" (a random string of at least {MIN_SECRET_LENGTH} '
                                f"characters, the gateway's own, shared with nothing else)")
        url = config.get("url")
        if url and insecure_url(str(url)):
            problems.append(f'{name} "url" must be https:// (plain http only to 127.0.0.1 or ::1)')
    return problems
