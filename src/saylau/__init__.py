"""Saylau: a public transparency dashboard for election observation."""
