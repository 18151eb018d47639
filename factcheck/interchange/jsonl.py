"""Reading and writing the `jsonl` dump, strictly: every malformed line is an error that names
the line and the field, and nothing is guessed."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import TypeAdapter, ValidationError

from factcheck.errors import FactcheckError, InvalidInput, SetAside, refuse
from factcheck.interchange.records import (
    AnyRecord,
    HeaderRecord,
    LabelRecord,
    Record,
    ScaleRecord,
    VerdictRecord,
)
from factcheck.schemas import first_error

_ADAPTER: TypeAdapter[AnyRecord] = TypeAdapter(AnyRecord)
MAX_LINE = 64 * 1024 * 1024


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


# One decoder for every line (json.loads with hooks would build one per call).
_DECODER = json.JSONDecoder(
    object_pairs_hook=_no_duplicate_keys,
    parse_constant=_reject_constant,
    parse_float=_finite_float,
)


# Record types with float fields: JSON's NaN, Infinity and 1e999 reach them only through the
# strict path, which refuses those numbers.
_WITH_FLOATS = (ScaleRecord, LabelRecord)


def _compact_keys(raw: bytes) -> int:
    """The keys of a line whose keys are all written `"key":` (no \\u escapes, no whitespace
    before a colon), counted without parsing: outside a string, a quote followed by a colon ends
    a key; inside one, a quote is escaped, so `\\":` there is not a key. (A key ending in a
    backslash would count as one too few, but no record has such a field.)"""
    return raw.count(b'":') - raw.count(b'\\":')


def _keys_read(record: AnyRecord) -> int:
    """How many distinct keys the line of a validated record had, nested objects included."""
    keys = len(record.model_fields_set)
    if isinstance(record, VerdictRecord):
        keys += sum(len(evidence.model_fields_set) for evidence in record.evidence)
    return keys


def _parse_canonical(raw: bytes) -> AnyRecord | None:
    """A line in the form dumps() writes, parsed and validated in one step by pydantic; None
    when the line is not in that form or is not valid, for the strict path to judge.

    pydantic's JSON parser keeps the last of two equal keys, where the strict path refuses
    them: the line's keys, counted from its bytes, must be as many as the record's fields.
    Lines with \\u escapes (which could hide a NUL or a lone surrogate) and records with float
    fields go the strict way.
    """
    if (
        len(raw) > MAX_LINE
        or b"\\u" in raw
        # Whitespace before a colon: a key written so is not counted by _compact_keys.
        or b" :" in raw
        or b"\t:" in raw
        or b"\r:" in raw
        or b"\n:" in raw
    ):
        return None
    try:
        record = _ADAPTER.validate_json(raw)
    except ValidationError:
        return None
    if isinstance(record, _WITH_FLOATS) or _keys_read(record) != _compact_keys(raw):
        return None
    return record


def parse_line(raw: bytes, number: int) -> AnyRecord:
    record = _parse_canonical(raw)
    if record is not None:
        return record
    where = f"line {number}"
    if len(raw) > MAX_LINE:
        raise InvalidInput(f"{where}: longer than {MAX_LINE // (1024 * 1024)} MiB", row=number)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{where}: not valid UTF-8 (byte offset {exc.start})", row=number
        ) from exc
    if number == 1:
        text = text.removeprefix("\ufeff")
    try:
        data = _DECODER.decode(text)
        # A NUL or a lone surrogate can only come from a \u escape: the line itself is valid
        # UTF-8 and JSON allows no raw control characters in strings. Most lines have none.
        if "\\u" in text:
            check_strings(data)
    except RecursionError as exc:
        raise InvalidInput(f"{where}: nested too deeply", row=number) from exc
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"{where}: text contains a lone surrogate ({exc.reason})", row=number
        ) from exc
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise InvalidInput(f"{where}: not valid JSON ({exc})", row=number) from exc
    if not isinstance(data, dict):
        raise InvalidInput(
            f"{where}: expected a JSON object, found {type(data).__name__}", row=number
        )
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        kind = data.get("type")
        prefix = f"{where} ({kind})" if isinstance(kind, str) else where
        raise InvalidInput(f"{prefix}: {first_error(exc)}", row=number) from exc


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
