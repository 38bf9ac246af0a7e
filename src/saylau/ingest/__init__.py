"""Ingest: files, HTTP, KoboToolbox and ODK Central → mapping → validation → quarantine → snapshot.

Public entry points: ``ingest_file``, ``run_sources`` / ``load_sources`` (pipeline),
``list_sources``, ``quarantine_rows``, ``rule_texts`` (Data & methods page), ``csv_bytes``
(formula-safe CSV for every export) and ``RULES`` (rule id → English message template).
"""

from saylau.ingest.catalog import list_sources, quarantine_rows, rule_texts
from saylau.ingest.pipeline import ingest_file, load_sources, run_sources
from saylau.ingest.quarantine import RULES, csv_bytes

__all__ = ["RULES", "csv_bytes", "ingest_file", "list_sources", "load_sources", "quarantine_rows", "rule_texts", "run_sources"]
