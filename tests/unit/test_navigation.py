"""Share and embed links are built from the app's base URL, whatever page they start from."""

from saylau.views.navigation import app_base


def test_app_base_drops_query_and_page():
    """The page path and query are removed; a deployment prefix is kept."""
    assert app_base("http://127.0.0.1:8501/station?id=KZ-71-1&lang=kk") == "http://127.0.0.1:8501"
    assert app_base("http://127.0.0.1:8501/") == "http://127.0.0.1:8501"
    assert app_base("https://example.org/saylau/map?region=ALA") == "https://example.org/saylau"
    assert app_base("https://example.org/saylau/") == "https://example.org/saylau"
    assert app_base(None) == "http://localhost:8501"
