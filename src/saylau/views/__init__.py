"""Streamlit-side helpers shared by the page scripts: the one caching module and the chrome."""
