"""The contradiction report as JSON: exactly `report.model_dump_json(indent=2)`, built faster.

Every pair carries both of its claims in full, and a claim is in as many pairs as it has links:
serialising the report as one object serialised each claim once per pair (110 MB and seconds
for 20,000 contradictions). Here each claim is serialised once and its JSON is copied into
every pair that shows it. Kept apart from the other formats so that the JSON output does not
import rich.
"""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.schemas import ClaimOut
from factcheck.services.report import ContradictionReport, ReportPair

# The document's layout at indent=2: the pair lists are the report's last fields, each pair
# an object in one of them, and its claims (its last two fields) are objects one level deeper.
_PAIR_LISTS = ("pairs", "agreement_conflicts", "agreements")
_CLAIMS = ("claim_a", "claim_b")
_PAIRS_START = b'\n  "pairs": ['
_PAIR_END = b"\n    }"
_CLAIM_INDENT = b"\n      "
_CLAIM_A = b',\n      "claim_a": '
_CLAIM_B = b',\n      "claim_b": '
_BLOCK = 1 << 20


def _check_layout() -> None:
    report_tail = tuple(ContradictionReport.model_fields)[-len(_PAIR_LISTS) :]
    pair_tail = tuple(ReportPair.model_fields)[-len(_CLAIMS) :]
    if (report_tail, pair_tail) != (_PAIR_LISTS, _CLAIMS):
        raise AssertionError("the report's fields moved: update factcheck.reports.json_document")


def json_document(report: ContradictionReport) -> Iterator[bytes]:
    """`report.model_dump_json(indent=2)` as UTF-8 followed by a newline, in blocks of about
    `_BLOCK` bytes (the whole document can be hundreds of megabytes)."""
    _check_layout()
    pairs = [pair for name in _PAIR_LISTS for pair in getattr(report, name)]
    # Claims by identity: the same claim object in many pairs is serialised once.
    unique: dict[int, ClaimOut] = {}
    for pair in pairs:
        unique.setdefault(id(pair.claim_a), pair.claim_a)
        unique.setdefault(id(pair.claim_b), pair.claim_b)
    claim_json = dict(zip(unique, _claim_objects(list(unique.values())), strict=True))
    skeleton = report.model_dump_json(
        indent=2, exclude={name: {"__all__": set(_CLAIMS)} for name in _PAIR_LISTS}
    ).encode()
    head, start, tail = skeleton.partition(_PAIRS_START)
    # After the start of the pair lists, each object closed at this depth is a pair (a pair
    # without its claims has only scalar fields, and JSON strings hold no raw newlines).
    ends = tail.split(_PAIR_END)
    if len(ends) != len(pairs) + 1:
        raise AssertionError("unexpected layout of the report's JSON")
    block = [head, start, ends[0]]
    size = 0
    for pair, rest in zip(pairs, ends[1:], strict=True):
        a, b = claim_json[id(pair.claim_a)], claim_json[id(pair.claim_b)]
        block += [_CLAIM_A, a, _CLAIM_B, b, _PAIR_END, rest]
        size += len(a) + len(b)
        if size > _BLOCK:
            yield b"".join(block)
            block = []
            size = 0
    block.append(b"\n")
    yield b"".join(block)


def _claim_objects(claims: list[ClaimOut]) -> list[bytes]:
    """Each claim's JSON object as it appears as a pair's field at indent=2 (three levels in:
    its own lines six spaces further in; JSON strings hold no raw newlines)."""
    # The model's own serializer (a TypeAdapter's adds a microsecond a claim).
    to_json = ClaimOut.__pydantic_serializer__.to_json
    return [to_json(claim, indent=2).replace(b"\n", _CLAIM_INDENT) for claim in claims]
