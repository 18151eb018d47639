"""The years and months a claim is about ("in January 2020", "since 2003", "the 2019 strikes").

Two claims about the same events that name different years may disagree on when something
happened; naming the same year is a (weak) sign that they speak of the same thing.
"""

from __future__ import annotations

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan", "february feb", "march mar", "april apr", "may", "june jun",
            "july jul", "august aug", "september sep sept", "october oct", "november nov",
            "december dec",
        ),
        start=1,
    )
    for name in names.split()
}  # fmt: skip


def _year(token: str) -> int | None:
    if len(token) == 4 and token.isdigit() and 1800 <= int(token) <= 2100:
        return int(token)
    return None


def when(tokens: list[str]) -> frozenset[str]:
    """The years ("2020") and months ("2020-01") the folded words name."""
    found: set[str] = set()
    for i, token in enumerate(tokens):
        year = _year(token)
        if year is None:
            continue
        # A month counts only next to the year, or a day away from it ("3 january 2020",
        # "january 3 2020"), so that "may" the verb is no month.
        month = None
        for back in (1, 2):
            if i - back >= 0 and tokens[i - back] in _MONTHS:
                month = _MONTHS[tokens[i - back]]
                break
        found.add(f"{year}-{month:02d}" if month else str(year))
    return frozenset(found)


def years(moments: frozenset[str]) -> frozenset[str]:
    return frozenset(m[:4] for m in moments)


def compare(a: frozenset[str], b: frozenset[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The moments both name, and (when they share no year at all) what each names instead."""
    if not a or not b:
        return [], []
    shared = sorted(a & b) or sorted(years(a) & years(b))
    if shared:
        return shared, []
    return [], [(", ".join(sorted(a)), ", ".join(sorted(b)))]
