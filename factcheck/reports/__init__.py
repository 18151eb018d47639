"""Rendering of reports into their file formats (pure functions of the report models)."""


def plural(n: int, noun: str) -> str:
    """`1 claim`, `2 claims`, `3 entities`."""
    if n != 1:
        noun = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {noun}"
