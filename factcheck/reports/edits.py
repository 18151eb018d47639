"""The edit report of `source refresh`: what changed in a source's text and what became of each
quote anchored in it, as plain text or Markdown a fact-checker can publish (JSON is the model)."""

from __future__ import annotations

from factcheck.services.versions import EditReport, QuoteEdit, QuoteFate
from factcheck.text import visible

_FATES: tuple[QuoteFate, ...] = ("moved", "changed", "vanished", "found", "unchanged")
_MEANING = {
    "unchanged": "where it was",
    "moved": "same words, another place in the text (re-anchored)",
    "changed": "worded otherwise in the new text",
    "vanished": "no longer in the text",
    "found": "not in the earlier text, found in this one (re-anchored)",
}


def _sha(digest: str | None) -> str:
    return digest[:12] if digest else "none"


def _head(report: EditReport) -> list[str]:
    lines = [f"Edit report: {visible(report.title)} ({report.source_key})"]
    if report.origin:
        when = f", fetched {report.fetched_at:%Y-%m-%d %H:%M} UTC" if report.fetched_at else ""
        lines.append(f"From {visible(report.origin)}{when}")
    if not report.changed:
        version = f"version {report.new_version}" if report.new_version else "the stored text"
        lines.append(
            f"No change: the text is the same as {version} (sha256 {_sha(report.new_sha256)})."
        )
        return lines
    old = f"version {report.old_version}" if report.old_version else "no text"
    lines.append(
        f"Text changed: {old} (sha256 {_sha(report.old_sha256)}) -> version "
        f"{report.new_version} (sha256 {_sha(report.new_sha256)})"
    )
    counts = ", ".join(f"{report.count(f)} {f}" for f in _FATES if report.count(f)) or "none"
    lines.append(f"Anchored quotes: {counts}")
    return lines


def _where(start: int | None, end: int | None) -> str:
    return f"{start}-{end}" if start is not None else "-"


def _line(q: QuoteEdit) -> str:
    quote = visible(" ".join(q.quote.split()), inline=True)
    where = f"claim {q.claim_id}, appearance {q.appearance_id}"
    detail = {
        "unchanged": f"at {_where(q.start, q.end)}",
        "moved": f"was at {_where(q.old_start, q.old_end)}, now at {_where(q.start, q.end)}",
        "vanished": f"was at {_where(q.old_start, q.old_end)}; kept unanchored",
        "found": f"now at {_where(q.start, q.end)}",
        "changed": "",
    }[q.fate]
    if q.fate == "changed":
        passage = visible(" ".join((q.passage or "").split()), inline=True)
        similar = f", {q.similarity:.0%} similar" if q.similarity is not None else ""
        kept = "; kept unanchored" if q.start is None else f", at {_where(q.start, q.end)}"
        detail = f'now "{passage}"{similar}{kept}'
    return f'{q.fate}: {where}: "{quote}" ({detail})'


def text(report: EditReport) -> str:
    lines = _head(report)
    notable = [q for q in report.quotes if q.fate != "unchanged"]
    if notable:
        lines.append("")
        lines += [_line(q) for q in sorted(notable, key=lambda q: _FATES.index(q.fate))]
    return "\n".join(lines) + "\n"


def markdown(report: EditReport) -> str:
    head = _head(report)
    lines = [f"## {head[0]}", "", *[f"{line}  " for line in head[1:]]]
    notable = [q for q in report.quotes if q.fate != "unchanged"]
    for fate in _FATES[:-1]:
        of_fate = [q for q in notable if q.fate == fate]
        if of_fate:
            lines += ["", f"### {fate.capitalize()}: {_MEANING[fate]}", ""]
            lines += [f"- {_line(q).split(': ', 1)[1]}".replace("|", "\\|") for q in of_fate]
    return "\n".join(lines) + "\n"
