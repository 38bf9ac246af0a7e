"""Interface language: catalogues (``<lang>/*.toml``), ``t()`` and formatting.

Catalogues are flat dotted keys kept in TOML tables, one file per area of the app in each
language folder (``en/core.toml``, ``en/map.toml`` ...). Every key must exist in every
language and no key may be defined twice (tests enforce both). Numbers and dates are formatted with Babel for the chosen language.
Profile content (region names, protocol lines, checklist items) is translated in the profile.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from functools import cache
from importlib import resources

from babel.dates import format_skeleton
from babel.numbers import format_decimal, format_percent

LANGS = ("kk", "ru", "en")
DEFAULT_LANG = "en"
LANG_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
PLOTLY_SEPARATORS = {"kk": ", ", "ru": ", ", "en": ".,"}


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = str(value)
    return out


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Return the flat catalogue of one language."""
    merged: dict[str, str] = {}
    folder = resources.files(__package__).joinpath(lang)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            part = _flatten(tomllib.loads(entry.read_text("utf-8")))
            clash = merged.keys() & part.keys()
            if clash:
                raise KeyError(f"{lang}/{entry.name} redefines {sorted(clash)}")
            merged.update(part)
    return merged


def normalize_lang(lang: str | None) -> str:
    """Map a requested language (``?lang=`` or a browser locale such as ``ru-RU``) to a supported one."""
    code = (lang or "").split("-")[0].split("_")[0].lower()
    return code if code in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **values: object) -> str:
    """Translate a catalogue key, filling ``{name}`` placeholders; falls back to English, then the key."""
    text = catalogue(normalize_lang(lang)).get(key) or catalogue("en").get(key) or key
    return text.format(**values) if values else text


def t_code(prefix: str, code: str, lang: str) -> str:
    """Translate a code that comes from the data by its key ``prefix.code``; a code with no key is shown as it is."""
    key = f"{prefix}.{code}"
    return t(key, lang) if key in catalogue("en") else code


def fmt_int(value: float | int | None, lang: str) -> str:
    """Format a count with the language's thousands separator ('12 300 000' or '12,300,000')."""
    if value is None:
        return "—"
    return format_decimal(round(value), locale=normalize_lang(lang))


def fmt_num(value: float | None, lang: str, digits: int = 1) -> str:
    """Format a decimal number with a fixed number of decimals."""
    if value is None:
        return "—"
    return format_decimal(value, format=f"#,##0.{'0' * digits}" if digits else "#,##0", locale=normalize_lang(lang))


def fmt_pct(share: float | None, lang: str, digits: int = 1) -> str:
    """Format a share in 0..1 as a percentage ('73,1 %' or '73.1%')."""
    if share is None:
        return "—"
    return format_percent(share, format=f"#,##0.{'0' * digits}%" if digits else "#,##0%", locale=normalize_lang(lang))


def fmt_pp(points: float | None, lang: str, digits: int = 1) -> str:
    """Format a difference in percentage points with its sign ('+2,5 pp')."""
    if points is None:
        return "—"
    sign = "+" if points > 0 else ("−" if points < 0 else "")
    return f"{sign}{fmt_num(abs(points), lang, digits)} {t('unit.pp', lang)}"


def to_utc(ts: datetime | str) -> datetime:
    """Return a time (ISO 8601 text or datetime; without a zone taken as UTC) in UTC."""
    if isinstance(ts, str):
        ts = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return (ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts).astimezone(UTC)


def fmt_dt(ts: datetime | str | None, lang: str) -> str:
    """Format a UTC time as 'YYYY-MM-DD HH:MM UTC' (unambiguous in every language)."""
    if ts is None:
        return "—"
    return f"{to_utc(ts):%Y-%m-%d %H:%M} UTC"


def fmt_day(ts: datetime | str | None, lang: str) -> str:
    """Format the UTC day of a time as day and short month in the language ('16 мар.', '16 нау.', 'Mar 16')."""
    if ts is None:
        return "—"
    return format_skeleton("dMMM", to_utc(ts), locale=normalize_lang(lang))
