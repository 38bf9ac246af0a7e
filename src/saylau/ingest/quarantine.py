"""Rule ids, their English message templates, source-level errors and safe CSV export.

Every rejected record becomes one or more long quarantine rows
(source, record_no, column, raw_value, rule_id, message). The UI translates by ``rule_id``;
``RULES`` holds the English templates, formatted with ``column`` and ``value``.
"""

from __future__ import annotations

import polars as pl

RULES: dict[str, str] = {
    # record-level rules (one quarantine row per record, column and rule)
    "unparseable_number": "{column}: '{value}' is not a number",
    "negative_count": "{column}: {value} is negative; counts cannot be below zero",
    "fractional_count": "{column}: {value} is not a whole number",
    "absurd_value": "{column}: {value} is larger than any polling station can have",
    "out_of_range": "{column}: {value} is outside the allowed range",
    "missing_required": "{column}: a required value is empty",
    "duplicate_key": "{column}: '{value}' appears in more than one record; all of them are held back",
    "unknown_station": "{column}: station '{value}' is not in the station register",
    "invalid_datetime": "{column}: '{value}' is not a date and time",
    "invalid_value": "{column}: '{value}' is not one of the allowed values",
    # source-level errors (nothing from the source is published)
    "missing_column": "required column(s) missing from the source: {value}",
    "empty_source": "the source has no records",
    "unreadable_source": "the source could not be read: {value}",
    "too_large": "the source is larger than the limit of {value}",
    "zip_bomb": "the archive expands beyond the allowed size or ratio: {value}",
    "http_error": "the server answered with an error: {value}",
    "timeout": "the server did not answer in time: {value}",
    "unreachable": "the server could not be reached (no connection): {value}",
    "html_error_page": "the server sent an HTML page instead of data",
    "wrong_content_type": "unexpected content type: {value}",
    "truncated_body": "the download ended early: {value}",
    "invalid_json": "the server sent invalid JSON: {value}",
    "paging_loop": "the server's next-page link repeats: {value}",
    "bad_mapping": "the mapping is invalid: {value}",
    # information (not an error)
    "extra_columns": "columns ignored by the mapping: {value}",
}

FORMULA_PATTERN = r"^[=+\-@\t\r]"  # what a spreadsheet runs as a formula


class SourceError(RuntimeError):
    """A whole source is rejected; carries a rule id and the formatted English message."""

    def __init__(self, rule_id: str, value: object = "") -> None:
        self.rule_id = rule_id
        self.value = str(value)
        super().__init__(message(rule_id, value=self.value))


def message(rule_id: str, column: str = "", value: object = "") -> str:
    """Return the English message of a rule, filled with a column and a value."""
    return RULES[rule_id].format(column=column, value=value)


def message_expr(column: pl.Expr, value: pl.Expr, rule_id: pl.Expr) -> pl.Expr:
    """Build the English message of each quarantine row as a Polars expression."""
    expr: pl.Expr = pl.lit(None, dtype=pl.String)
    for rule, template in RULES.items():
        head, _, rest = template.partition("{column}")
        body = pl.concat_str(pl.lit(head), column.fill_null(""), *_split_value(rest, value))
        expr = pl.when(rule_id == rule).then(body).otherwise(expr)
    return expr


def _split_value(text: str, value: pl.Expr) -> list[pl.Expr]:
    before, found, after = text.partition("{value}")
    return [pl.lit(before), value.fill_null(""), pl.lit(after)] if found else [pl.lit(text)]


def escape_formulas(df: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe."""
    return df.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_PATTERN)).then(pl.lit("'") + pl.col(name)).otherwise(pl.col(name)).alias(name)
        for name, dtype in df.schema.items()
        if dtype == pl.String
    )


def csv_bytes(df: pl.DataFrame) -> bytes:
    """Return a UTF-8 CSV (with BOM, for spreadsheets) of a frame, formulas escaped."""
    return "\ufeff".encode() + escape_formulas(df).write_csv().encode("utf-8")
