"""API tokens and passwords: read by name from the environment or ``.streamlit/secrets.toml``.

``sources.toml`` holds only the *name* of a variable, never its value. A ``Secret`` never
shows its value in ``repr``/``str``; ``mask`` removes known secret values from any text
(error messages, logs) before it is shown.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

SECRETS_FILE = Path(".streamlit/secrets.toml")
MASK = "***"


class Secret:
    """A secret value that does not print itself."""

    __slots__ = ("_value", "name")

    _known: set[str] = set()

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self._value = value
        if value:
            Secret._known.add(value)

    def reveal(self) -> str:
        """Return the value, for an HTTP header only."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({self.name!r}, {MASK})"

    __str__ = __repr__


class SecretMissing(KeyError):
    """The named secret is in neither the environment nor the secrets file."""


def get_secret(name: str, secrets_file: Path | None = None) -> Secret:
    """Return the secret called ``name`` from the environment, else from the secrets file."""
    if os.environ.get(name):
        return Secret(name, os.environ[name])
    path = secrets_file or SECRETS_FILE
    if path.exists():
        with path.open("rb") as f:
            value = tomllib.load(f).get(name)
        if isinstance(value, str) and value:
            return Secret(name, value)
    raise SecretMissing(f"secret {name!r} is not set (environment or {path})")


def mask(text: str) -> str:
    """Replace every secret value seen in this process by ``***`` in a text."""
    for value in sorted(Secret._known, key=len, reverse=True):
        text = text.replace(value, MASK)
    return text
