"""Overview view (being built: says so honestly)."""

from saylau.views import chrome

chrome.coming_soon(chrome.lang())
