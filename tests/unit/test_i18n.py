"""Catalogues are complete in every language; formatting follows the language."""

from __future__ import annotations

import re

from saylau.i18n import LANGS, catalogue, fmt_int, fmt_pct, normalize_lang, t
from saylau.profiles import load_profile


def test_every_catalogue_has_every_key():
    """A key present in one catalogue is present (and non-empty) in all three."""
    keys = {lang: set(catalogue(lang)) for lang in LANGS}
    union = set().union(*keys.values())
    for lang in LANGS:
        assert union - keys[lang] == set(), f"{lang} lacks {sorted(union - keys[lang])}"
        assert all(catalogue(lang)[k].strip() for k in union), lang


def test_placeholders_match_across_languages():
    """Every translation uses the same {placeholders} as the English text."""
    for key, text in catalogue("en").items():
        wanted = set(re.findall(r"{(\w+)}", text))
        for lang in ("kk", "ru"):
            assert set(re.findall(r"{(\w+)}", catalogue(lang)[key])) == wanted, (lang, key)


def test_profile_texts_are_trilingual():
    """Region names, protocol lines, relations and checklist items exist in kk, ru and en."""
    prof = load_profile("kz")
    named = [r.names for r in prof.regions] + [x.names for x in prof.lines] + [i.names for i in prof.items]
    named += list(prof.relation_text.values()) + [n for _, n in prof.sections.values()]
    for names in named:
        assert names.kk and names.ru and names.en
    assert {r.code for r in prof.relations} <= set(prof.relation_text)


def test_number_formats():
    """Thousands separators and decimal marks follow the language."""
    assert fmt_int(12300000, "en") == "12,300,000"
    assert fmt_int(12300000, "ru") == "12\xa0300\xa0000"
    assert fmt_pct(0.7312, "ru") == "73,1%"
    assert fmt_pct(0.7312, "en") == "73.1%"
    assert normalize_lang("kk-KZ") == "kk" and normalize_lang("de") == "en"
    assert t("nav.map", "kk") == "Карта"


def test_codes_from_the_data_and_days():
    """Known publication names are translated, unknown ones kept verbatim; a day is written the language's way."""
    from saylau.i18n import fmt_day, t_code

    assert t_code("publication", "preliminary", "ru") == t("publication.preliminary", "ru") != "preliminary"
    assert t_code("publication", "second-count <b>", "kk") == "second-count <b>"
    assert fmt_day("2026-03-16T01:00:00Z", "en") == "Mar 16"
    assert fmt_day("2026-03-16T01:00:00Z", "ru") == "16 мар."
    assert fmt_day("2026-03-15T23:30:00-02:00", "kk") == "16 нау."  # the UTC day, not the local one
