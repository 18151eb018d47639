"""Reading and writing the `jsonl` dump, strictly: every malformed line is an error that names
the line and the field, and nothing is guessed."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import TypeAdapter, ValidationError

from factcheck.errors import FactcheckError, InvalidInput, SetAside, refuse
from factcheck.interchange.records import (
    AnyRecord,
    HeaderRecord,
    Record,
    VerdictRecord,
)
from factcheck.schemas import first_error

_ADAPTER: TypeAdapter[AnyRecord] = TypeAdapter(AnyRecord)


def dumps(record: Record) -> str:
    """One record as one line: fields in model order, UTF-8 text, no trailing spaces."""
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # dict() does the work in C; only a line with a duplicate pays for finding which key it is.
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}")
            seen.add(key)
    return result


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):  # 1e999 overflows to infinity
        raise ValueError("numbers must be finite")
    return value


def check_strings(value: Any) -> None:
    """Strings must be storable: no lone surrogates (from \\ud800-style escapes), no NUL."""
    if isinstance(value, str):
        value.encode("utf-8")  # raises on a lone surrogate
        if "\x00" in value:
            raise ValueError("text contains a NUL character")
    elif isinstance(value, dict):
        for item in value.values():
            check_strings(item)
    elif isinstance(value, list):
        for item in value:
            check_strings(item)
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError("numbers must be finite")


# Wording errors only: stdlib json, strict, says where a line is not JSON and which key is
# given twice (pydantic's parser, which reads every line, says neither as clearly).
_EXPLAINER = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant,
                              parse_float=_finite_float)  # fmt: skip

# Every JSON string of a line, and the colon after it when it is a key.
_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"[ \t\r\n]*(:?)')
_BOM = "\ufeff".encode()


def _keys_written(raw: bytes, read: int) -> int:
    """How many keys a valid JSON line has, nested objects included, given how many distinct
    keys its record was read with.

    A key ends with a quote and a colon, and a quote inside a string is escaped, so the count of
    `":` less that of `\\":` counts every key once, but for a key followed by whitespace before
    its colon or ending in an escaped backslash (lines that may have either are tokenised: no key
    `dumps` writes has, but a text may hold ` :`), and a string starting with a colon, which adds
    one. So a count equal to the keys read is exact (a line has at least as many keys as distinct
    ones); any other line is tokenised. Substring searches rather than a regular expression: the
    expression, tried at every byte of every line, took half as long as validating the lines.
    """
    # JSON allows no raw tab, CR or LF inside a string: any there is whitespace between tokens.
    spaced = b" :" in raw or b"\t" in raw or b"\r" in raw or b"\n" in raw
    if not spaced and b'\\\\":' not in raw:
        counted = raw.count(b'":') - raw.count(b'\\":')
        if counted == read:
            return counted
    found = _STRINGS.findall(raw)
    return len(found) - found.count(b"")


def _keys_read(record: AnyRecord) -> int:
    """How many distinct keys the line of a validated record had, nested objects included."""
    keys = len(record.model_fields_set)
    if isinstance(record, VerdictRecord):
        keys += sum(len(evidence.model_fields_set) for evidence in record.evidence)
    return keys


def parse_line(raw: bytes, number: int) -> AnyRecord:
    """One line as a record, read and validated by pydantic in one step; anything JSON or the
    record's model does not allow is an error naming the line (and the record's type)."""
    if number == 1:
        raw = raw.removeprefix(_BOM)
    try:
        record = _ADAPTER.validate_json(raw)
        # pydantic keeps the last of two equal keys: the line's keys must be the record's.
        read = _keys_read(record)
        duplicated = _keys_written(raw, read) != read
        # A NUL can only come from a \u escape (pydantic refuses raw control characters and
        # lone surrogates); most lines have none.
        if not duplicated and b"\\u" in raw:
            check_strings(record.model_dump())
    except (ValidationError, ValueError) as exc:
        raise _explained(raw, number, exc) from exc
    if duplicated:
        raise _explained(raw, number, None)
    return record


def _explained(raw: bytes, number: int, exc: Exception | None) -> InvalidInput:
    """The error of a line pydantic refused (or read with a key given twice), worded from stdlib
    json's strict reading where that finds the fault (not UTF-8, not JSON, a duplicate key, a
    NaN, a NUL), else from the record's validation."""
    where = f"line {number}"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return InvalidInput(f"{where}: not valid UTF-8 (byte offset {error.start})", row=number)
    try:
        data = _EXPLAINER.decode(text)
        if "\\u" in text:
            check_strings(data)
    except RecursionError:
        return InvalidInput(f"{where}: nested too deeply", row=number)
    except UnicodeEncodeError as error:
        reason = f"text contains a lone surrogate ({error.reason})"
        return InvalidInput(f"{where}: {reason}", row=number)
    except ValueError as error:  # json.JSONDecodeError is a ValueError
        return InvalidInput(f"{where}: not valid JSON ({error})", row=number)
    if not isinstance(data, dict):
        found = type(data).__name__
        return InvalidInput(f"{where}: expected a JSON object, found {found}", row=number)
    kind = data.get("type")
    prefix = f"{where} ({kind})" if isinstance(kind, str) else where
    reason = first_error(exc) if isinstance(exc, ValidationError) else f"not valid ({exc})"
    return InvalidInput(f"{prefix}: {reason}", row=number)


def read_records(
    lines: Iterable[bytes], set_aside: SetAside | None = None
) -> Iterator[tuple[int, AnyRecord]]:
    """(line number, record) for every non-blank line; the first must be the header. With
    `set_aside`, a bad line after the header is set aside and the reading goes on."""
    seen_header = False
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = parse_line(raw.rstrip(b"\r\n"), number)
        except FactcheckError as exc:
            if not seen_header:
                raise
            refuse(exc, set_aside)
            continue
        if not seen_header:
            if not isinstance(record, HeaderRecord):
                raise InvalidInput(
                    f"line {number}: a factcheck jsonl dump starts with its header "
                    '{"type":"factcheck","format":"jsonl","version":1}'
                )
            seen_header = True
            continue
        if isinstance(record, HeaderRecord):
            refuse(InvalidInput(f"line {number}: a second header", row=number), set_aside)
            continue
        yield number, record
    if not seen_header:
        raise InvalidInput("the file is empty")
