"""Country profiles: regions, protocol lines, control relations and the observer checklist.

A profile is a TOML file in this folder (``kz.toml``); this module only loads it into typed,
read-only records. Nothing outside ``profiles/`` may hard-code a country.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import polars as pl

LANGS = ("kk", "ru", "en")


@dataclass(frozen=True)
class Names:
    """A text in the three interface languages."""

    kk: str
    ru: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in ``lang``, English when the language is unknown."""
        return getattr(self, lang, None) or self.en


@dataclass(frozen=True)
class RegionInfo:
    """One top-level unit with its demo parameters."""

    code: str
    iso: str
    names: Names
    lat: float
    lon: float
    boundary: str
    voters_share: float
    turnout: float
    urban: float


@dataclass(frozen=True)
class LineInfo:
    """One protocol line."""

    code: str
    kinds: tuple[str, ...]
    group: str
    names: Names


@dataclass(frozen=True)
class Relation:
    """One control relation between protocol lines (see ``check`` grammar in kz.toml)."""

    code: str
    severity: str
    check: str
    kinds: tuple[str, ...] = ()
    station_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    """One vote option of an election (a candidate, party, answer or 'against all')."""

    line: str
    names: Names
    color: str


@dataclass(frozen=True)
class ElectionKind:
    """A kind of vote and its default options."""

    kind: str
    title: Names
    options: tuple[Option, ...]
    against_all: bool = False


@dataclass(frozen=True)
class Item:
    """One checklist item (a possible violation)."""

    code: str
    section: int
    severity: int
    rate: float
    names: Names


@dataclass(frozen=True)
class Profile:
    """Everything the core needs to know about one country."""

    code: str
    name: Names
    timezone: str
    station_cap: int
    abroad_region: str
    boundaries: dict[str, str]
    regions: tuple[RegionInfo, ...]
    lines: tuple[LineInfo, ...]
    relations: tuple[Relation, ...]
    relation_text: dict[str, Names]
    elections: dict[str, ElectionKind]
    sections: dict[int, tuple[str, Names]]
    items: tuple[Item, ...]
    voting_hours: dict[str, str] = field(default_factory=dict)

    def region(self, code: str) -> RegionInfo:
        """Return the region with this code."""
        return next(r for r in self.regions if r.code == code)

    def region_name(self, code: str, lang: str) -> str:
        """Return a region's name in a language; a code the profile does not know is shown as it is."""
        known = next((r for r in self.regions if r.code == code), None)
        return known.names.get(lang) if known else code

    def item(self, code: str) -> Item | None:
        """Return the checklist item with this code, or None."""
        return next((i for i in self.items if i.code == code), None)

    def line(self, code: str) -> LineInfo | None:
        """Return the protocol line with this code, or None."""
        return next((x for x in self.lines if x.code == code), None)

    def relations_for(self, kind: str) -> tuple[Relation, ...]:
        """Return the control relations that apply to an election kind."""
        return tuple(r for r in self.relations if not r.kinds or kind in r.kinds)

    def regions_frame(self) -> pl.DataFrame:
        """Return the canonical ``regions`` table of the profile."""
        return pl.DataFrame(
            {
                "region_code": [r.code for r in self.regions],
                "iso_code": [r.iso for r in self.regions],
                "name_kk": [r.names.kk for r in self.regions],
                "name_ru": [r.names.ru for r in self.regions],
                "name_en": [r.names.en for r in self.regions],
                "lat": [r.lat for r in self.regions],
                "lon": [r.lon for r in self.regions],
            }
        )

    def items_frame(self) -> pl.DataFrame:
        """Return checklist items as a frame: code, section, severity and names."""
        return pl.DataFrame(
            {
                "item": [i.code for i in self.items],
                "section": pl.Series([i.section for i in self.items], dtype=pl.Int8),
                "severity": pl.Series([i.severity for i in self.items], dtype=pl.Int8),
                **{f"name_{lang}": [i.names.get(lang) for i in self.items] for lang in LANGS},
            }
        )


def _names(d: dict) -> Names:
    return Names(kk=d["kk"], ru=d["ru"], en=d["en"])


@cache
def load_profile(code: str = "kz") -> Profile:
    """Load a country profile by its code (the TOML file name)."""
    raw = tomllib.loads(resources.files(__package__).joinpath(f"{code.lower()}.toml").read_text("utf-8"))
    elections = {
        kind: ElectionKind(
            kind=kind,
            title=_names(e["title"]),
            options=tuple(Option(o["line"], _names(o), o["color"]) for o in e["options"]),
            against_all=e.get("against_all", False),
        )
        for kind, e in raw["elections"].items()
    }
    return Profile(
        code=raw["code"],
        name=_names(raw["name"]),
        timezone=raw["timezone"],
        station_cap=raw["station_cap"],
        abroad_region=raw["abroad_region"],
        boundaries=raw["boundaries"],
        regions=tuple(
            RegionInfo(r["code"], r["iso"], _names(r), r["lat"], r["lon"], r["boundary"],
                       r["voters_share"], r["turnout"], r["urban"])
            for r in raw["regions"]
        ),
        lines=tuple(LineInfo(x["code"], tuple(x["kinds"]), x["group"], _names(x)) for x in raw["lines"]),
        relations=tuple(
            Relation(r["code"], r["severity"], r["check"], tuple(r.get("kinds", ())), tuple(r.get("station_kinds", ())))
            for r in raw["relations"]
        ),
        relation_text={k: _names(v) for k, v in raw["relation_text"].items()},
        elections=elections,
        sections={int(k): (v["code"], _names(v)) for k, v in raw["sections"].items()},
        items=tuple(Item(i["code"], i["section"], i["severity"], i["rate"], _names(i)) for i in raw["items"]),
        voting_hours=raw.get("voting_hours", {}),
    )
