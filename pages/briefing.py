"""Briefing mode: one headline figure or key chart per screen (``briefing?slide=N&embed=true``)."""

from saylau.views import briefing, chrome

lang = chrome.lang()
briefing.render(chrome.require_data(lang), lang)
