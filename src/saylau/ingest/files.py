"""Local sources: CSV (encoding and delimiter detection), XLSX, JSON / NDJSON, Parquet and zip.

Every reader returns a lazy frame of String columns plus ``RECORD_NO`` (1-based), so large
CSV files are scanned, not loaded: only the mapped columns are ever materialised. Zip
archives are extracted with a cap on total size and compression ratio (zip bombs).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import polars as pl

from saylau.ingest.quarantine import SourceError
from saylau.ingest.records import json_records, records_frame
from saylau.ingest.validate import RECORD_NO

DELIMITERS = (",", ";", "\t", "|")
SNIFF_BYTES = 64 * 1024
ENCODING_SNIFF_BYTES = 1 << 20  # head read to guess the encoding; a later non-UTF-8 byte triggers a re-read
CHUNK = 1 << 20
MAX_UNZIPPED = 2 * 1024**3  # 2 GiB
MAX_RATIO = 200
MAX_JSON_BYTES = 512 * 1024**2
UTF8 = ("utf-8", "utf8", "utf-8-sig", "utf_8")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass(frozen=True)
class RawSource:
    """A source read as text: a lazy frame with ``RECORD_NO``, its header and, for a CSV whose
    encoding was guessed from its head, how to read it again as cp1251.

    A CSV also knows how to scan its records with some columns parsed as whole numbers by the
    CSV reader itself (``typed``), which ``collect_whole`` uses.
    """

    frame: pl.LazyFrame
    header: list[str]
    fallback: Callable[[], RawSource] | None = None
    typed: Callable[[list[str]], pl.LazyFrame] | None = None

    def collect(self, columns: Iterable[str]) -> pl.DataFrame:
        """Read ``RECORD_NO`` and some columns; re-read through the fallback when a later byte is not UTF-8."""
        try:
            return self.frame.select(RECORD_NO, *columns).collect()
        except pl.exceptions.ComputeError as exc:
            if self.fallback is None or "utf-8" not in str(exc):
                raise
            return self.fallback().collect(columns)

    def collect_whole(self, columns: Iterable[str], whole: list[str]) -> pl.DataFrame | None:
        """Read like ``collect`` but with the ``whole`` columns parsed as Int64 by the CSV reader.

        None when the source cannot, or when any of those cells is not a plain whole number
        (the reader then stops): the caller reads the text instead.
        """
        if self.typed is None or not whole:
            return None
        try:
            return self.typed(whole).select(RECORD_NO, *columns).collect()
        except pl.exceptions.ComputeError:
            return None


def detect_encoding(path: Path) -> str:
    """Return 'utf-8' when the file's first megabyte decodes as UTF-8 (BOM allowed), else 'cp1251'."""
    with path.open("rb") as f:
        head = f.read(ENCODING_SNIFF_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head)  # not final: the sample may end mid-character
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8"


def to_utf8(path: Path, encoding: str, workdir: Path) -> Path:
    """Return a UTF-8 version of a text file, transcoding in chunks when needed."""
    if encoding.lower() in UTF8:
        return path
    out = workdir / f"{path.stem}.utf8{path.suffix}"
    with path.open("r", encoding=encoding, newline="") as src, out.open("w", encoding="utf-8", newline="") as dst:
        for chunk in iter(lambda: src.read(CHUNK), ""):
            dst.write(chunk)
    return out


def detect_delimiter(path: Path) -> str:
    """Pick the delimiter among , ; tab | that splits the first lines into the most equal fields."""
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES).decode("utf-8", errors="ignore")
    lines = head.splitlines()[:-1] or head.splitlines()
    best, best_fields = ",", 1
    for delim in DELIMITERS:
        counts = [len(row) for row in csv.reader(io.StringIO("\n".join(lines[:20])), delimiter=delim)]
        if counts and min(counts) == max(counts) and counts[0] > best_fields:
            best, best_fields = delim, counts[0]
    return best


def extract_member(archive: Path, member: str | None, workdir: Path,
                   max_bytes: int = MAX_UNZIPPED, max_ratio: int = MAX_RATIO) -> Path:
    """Extract one member of a zip (the only one, or the named one) with zip-bomb limits."""
    with zipfile.ZipFile(archive) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        total = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        if total > max_bytes or total / packed > max_ratio:
            raise SourceError("zip_bomb", f"{total:,} bytes from {packed:,} (ratio {total / packed:.0f})")
        chosen = [i for i in infos if member is None or i.filename == member]
        if len(chosen) != 1:
            raise SourceError("unreadable_source", f"choose one member of {archive.name}: {[i.filename for i in infos]}")
        info = chosen[0]
        out = workdir / Path(info.filename).name
        written = 0
        with zf.open(info) as src, out.open("wb") as dst:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                written += len(chunk)
                if written > max_bytes or written / max(1, info.compress_size) > max_ratio:
                    raise SourceError("zip_bomb", f"{info.filename} expands beyond {written:,} bytes")
                dst.write(chunk)
    return out


def _numbered(frame: pl.LazyFrame) -> pl.LazyFrame:
    """A frame with the 1-based record number (Int64) in front."""
    return frame.with_row_index(RECORD_NO, offset=1).with_columns(pl.col(RECORD_NO).cast(pl.Int64))


def with_record_no(frame: pl.LazyFrame) -> RawSource:
    """Add the 1-based record number to an all-text frame."""
    return RawSource(_numbered(frame), frame.collect_schema().names())


def read_csv(path: Path, encoding: str | None, delimiter: str | None, workdir: Path) -> RawSource:
    """Scan a CSV lazily as text after encoding and delimiter detection.

    The encoding is guessed from the head only; a file guessed as UTF-8 whose later bytes are
    not is read again as cp1251 when its columns are collected (``RawSource.collect``).
    """
    if path.stat().st_size == 0:
        raise SourceError("empty_source")
    guess = encoding or detect_encoding(path)
    utf8 = to_utf8(path, guess, workdir)
    sep = delimiter or detect_delimiter(utf8)
    scan = partial(pl.scan_csv, utf8, separator=sep, infer_schema=False, encoding="utf8", raise_if_empty=False)
    raw = replace(with_record_no(scan()),
                  typed=lambda whole: _numbered(scan(schema_overrides=dict.fromkeys(whole, pl.Int64))))
    if encoding is None and guess == "utf-8":
        return replace(raw, fallback=partial(read_csv, path, "cp1251", sep, workdir))
    return raw


def read_excel(path: Path, sheet: str | None) -> RawSource:
    """Read one sheet of a spreadsheet as text (dates arrive as text or Excel serials)."""
    df = pl.read_excel(path, sheet_name=sheet, infer_schema_length=0) if sheet else pl.read_excel(path, infer_schema_length=0)
    return with_record_no(df.select(pl.all().cast(pl.String)).lazy())


def read_json(path: Path) -> RawSource:
    """Read a JSON array (or an API envelope) or NDJSON file as flattened text records."""
    if path.stat().st_size > MAX_JSON_BYTES:
        raise SourceError("too_large", f"{MAX_JSON_BYTES:,} bytes")
    text = path.read_text(encoding="utf-8-sig")
    try:
        if path.suffix in (".ndjson", ".jsonl"):
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            records = json_records(json.loads(text))
    except ValueError as exc:
        raise SourceError("invalid_json", str(exc)[:200]) from exc
    return with_record_no(records_frame(records).lazy())


def read_parquet(path: Path) -> RawSource:
    """Scan a Parquet file with every column cast to text (times as ISO 8601)."""
    lf = pl.scan_parquet(path)
    exprs = [
        pl.col(n).dt.to_string("%Y-%m-%dT%H:%M:%S%.f%:z" if getattr(t, "time_zone", None) else "%Y-%m-%dT%H:%M:%S%.f")
        if isinstance(t, pl.Datetime) else pl.col(n).cast(pl.String)
        for n, t in lf.collect_schema().items()
    ]
    return with_record_no(lf.select(exprs))


def read_file(path: Path, workdir: Path, *, encoding: str | None = None, delimiter: str | None = None,
              sheet: str | None = None, member: str | None = None) -> RawSource:
    """Read any supported local file (by suffix) into a ``RawSource``."""
    path = Path(path)
    if not path.exists():
        raise SourceError("unreadable_source", f"{path.name} does not exist")
    suffix = path.suffix.lower()
    if suffix == ".zip":
        inner = extract_member(path, member, workdir)
        return read_file(inner, workdir, encoding=encoding, delimiter=delimiter, sheet=sheet)
    if suffix in EXCEL_SUFFIXES:
        return read_excel(path, sheet)
    if suffix in (".json", ".ndjson", ".jsonl"):
        return read_json(path)
    if suffix == ".parquet":
        return read_parquet(path)
    if suffix in CSV_SUFFIXES or not suffix:
        return read_csv(path, encoding, delimiter if delimiter else ("\t" if suffix == ".tsv" else None), workdir)
    raise SourceError("unreadable_source", f"unsupported file type {suffix}")
