"""Share and embed links are built from the app's base URL, whatever page they start from; data text in link labels stays literal."""

from saylau.views.chrome import literal
from saylau.views.navigation import app_base


def test_app_base_drops_query_and_page():
    """The page path and query are removed; a deployment prefix is kept."""
    assert app_base("http://127.0.0.1:8501/station?id=KZ-71-1&lang=kk") == "http://127.0.0.1:8501"
    assert app_base("http://127.0.0.1:8501/") == "http://127.0.0.1:8501"
    assert app_base("https://example.org/saylau/map?region=ALA") == "https://example.org/saylau"
    assert app_base("https://example.org/saylau/") == "https://example.org/saylau"
    assert app_base(None) == "http://localhost:8501"


def test_literal_escapes_markdown_in_link_labels():
    """Brackets, emphasis, code, icons and maths in data text get a backslash; letters, digits and spaces do not."""
    assert literal("KZ-71-1") == "KZ\\-71\\-1"
    assert literal("![x](http://e.org/a.png) *b* `c` :red[d] $e$") == (
        "\\!\\[x\\]\\(http\\:\\/\\/e\\.org\\/a\\.png\\) \\*b\\* \\`c\\` \\:red\\[d\\] \\$e\\$")
    assert literal("Астана 12") == "Астана 12"
