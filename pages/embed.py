"""Embed page: one chart, its title, credit line and data link (``embed?chart=<slug>&embed=true``)."""

from saylau.views import chrome, embed

lang = chrome.lang()
embed.render(chrome.require_data(lang), lang)
