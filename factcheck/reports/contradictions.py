"""The contradiction report rendered as text (for a terminal, a file or a pipe), Markdown, HTML,
CSV and Graphviz DOT.

Every format says the same thing: the summary, the clusters with their pairs (both claims,
their appearances, current verdicts and the link's note), and the agreeing links whose sides got
opposite verdicts.
"""

from __future__ import annotations

import html
import re
import textwrap
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from rich.cells import get_character_cell_size

from factcheck.interchange.csvcells import csv_lines
from factcheck.reports import link_target, markdown_link, markdown_text, plural, speaker
from factcheck.schemas import AppearanceOut, ClaimOut, EvidenceOut
from factcheck.services.report import (
    Citation,
    ContradictionReport,
    ReportPair,
    ReportSource,
    VanishedQuote,
    cites,
    source_numbers,
)
from factcheck.text import quoted, visible

if TYPE_CHECKING:
    from rich.text import Text

POLARITY_COLOURS = {"supported": "green", "refuted": "red", "mixed": "yellow"}
STATUS_COLOURS = {
    "inconsistent": "bold magenta",
    "open": "bold yellow",
    "mixed": "yellow",
    "both-refuted": "red",
    "resolved": "green",
    "consistent": "green",
}
STATUS_MEANING = {
    "inconsistent": "both sides rated supported: the database contradicts itself",
    "open": "a side has no verdict, or an unverifiable one",
    "mixed": "a side is rated mixed",
    "both-refuted": "both sides rated refuted",
    "resolved": "one side supported, the other refuted",
}


def verdict_label(claim: ClaimOut) -> str:
    if claim.verdict is None:
        return "unreviewed"
    if claim.verdict.polarity == "none":
        return claim.verdict.label
    return f"{claim.verdict.label} ({claim.verdict.polarity})"


def where(a: AppearanceOut) -> str:
    """`source key, date, claimant`: where and by whom a claim was made."""
    return ", ".join([a.source_key, a.source_published or "undated", speaker(a)])


Numbers = dict[Citation, int]
"""The number of each source a report cites (`source_numbers`)."""


def ref(numbers: Numbers, cited: Citation) -> str:
    """`S3`: the number in the report's list of sources of what an appearance (its source id)
    or a piece of evidence (`cites`) cites ("" in a report that lists none)."""
    number = numbers.get(cited)
    return "" if number is None else f"S{number}"


def evidence_words(item: EvidenceOut) -> list[str]:
    """A piece of evidence in words: the source's key (or, when it is all there is, the URL,
    which the list of sources gives in full), the passage quoted, the note."""
    words = [item.source_key] if item.source_key else []
    if item.quote:
        words.append(quoted(item.quote))
    if item.note:
        words.append(item.note)
    return words or [item.url or "?"]


def source_words(source: ReportSource) -> list[str]:
    """What the report's list of sources says of one, URL aside: its key and title, author,
    outlet and date, as far as known."""
    if source.key is None:
        return []
    head = f"{source.key}: {source.title}" if source.title else source.key
    return [head] + [p for p in (source.author, source.outlet, source.published) if p]


Escape = Callable[[str], str]
Link = Callable[[str, str | None], str]
"""A document's own escaping of text, and its link with a text to a URL (text alone when the
URL is not a web address)."""


def evidence_linked(item: EvidenceOut, escape: Escape, link: Link) -> str:
    """A piece of evidence in a document with links: as the text report words it, except that
    one known only by its URL is a link, its note (or the URL) the link's text."""
    if item.source_key is None and item.url:
        words = [link(item.note or item.url, item.url)]
        if item.quote:
            words.append(escape(quoted(item.quote)))
    else:
        words = list(map(escape, evidence_words(item)))
    return " — ".join(words)


def source_linked(source: ReportSource, escape: Escape, link: Link) -> str:
    """A source's entry in the list of a document with links: its URL a link."""
    words = source_words(source)
    if not words:
        return link(source.url or "", source.url)
    entry = escape("; ".join(words))
    return f"{entry}; {link(source.url, source.url)}" if source.url else entry


def gone(vanished: dict[int, VanishedQuote], a: AppearanceOut) -> str:
    """The mark of a quote no longer in its source's current text, or ''."""
    v = vanished.get(a.id)
    if v is None:
        return ""
    return f" [no longer in the current text of {v.source_key}; last in version {v.version}]"


def summary_line(report: ContradictionReport) -> str:
    s = report.summary
    counts = ", ".join(f"{n} {status}" for status, n in s.by_status.items() if n) or "none"
    return (
        f"{plural(s.pairs, 'contradiction')} in {plural(s.clusters, 'cluster')} among "
        f"{plural(s.claims, 'claim')}: {counts}; "
        f"{plural(s.agreement_conflicts, 'agreeing link')} with opposite verdicts"
    )


# --- text -----------------------------------------------------------------------------------
#
# One layout for the text report, on a terminal (in colour, at the terminal's width) and in a
# file or a pipe (plain, at a fixed width). Each line of the report is a run of texts and their
# styles, laid out here into lines of at most the width in terminal cells; rich only colours the
# finished lines for a terminal. Rich's own layout of the whole report (a Group of Paddings of
# Texts, segment by segment) took minutes on a large database, which is why the report once kept
# a second layout, a copy of rich's rule, for files and pipes.
#
# The rule is rich's way of wrapping text. Control characters are shown as escapes (`\x1b`), a
# tab moves to the next multiple of 8 cells and a newline starts a line. A line breaks before the
# first word (words are separated by spaces) that would pass the width; a word wider than the
# whole line is cut at the width. Trailing spaces are dropped. Widths are rich's, character by
# character: most take one cell, wide ones two, zero-width ones none.

Runs = tuple[str, ...]
"""A line's texts, each followed by its style on a terminal ("" for none): one flat tuple,
hundreds of thousands of them in a large report."""

TAB = 8
# Room for the deepest indent (8) and a few cells beside it, however narrow the terminal.
_NARROWEST = 12
# Characters of one cell, besides printable ASCII: Latin-1 and Latin Extended letters,
# typographic quotes and dashes, box drawing (the rules). A line of these is measured by its
# length (most lines are).
_ONE_CELL = "".join(
    chr(c)
    for c in [
        *range(0xA1, 0x250),
        *range(0x2010, 0x2028),
        *range(0x2030, 0x205F),
        *range(0x2500, 0x2580),
    ]
    if chr(c).isprintable() and get_character_cell_size(chr(c)) == 1
)
_NOT_ONE_CELL = re.compile(f"[^ -~{re.escape(_ONE_CELL)}]")
# What `_printable` changes: control characters, tabs and newlines.
_SPECIAL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _offsets(text: str) -> list[int] | None:
    """The cells before each character of `text` (and after the last), or None when each
    character takes one cell (offsets are then positions)."""
    if _NOT_ONE_CELL.search(text) is None:
        return None
    return list(accumulate(map(get_character_cell_size, text), initial=0))


def _cells(text: str) -> int:
    offsets = _offsets(text)
    return len(text) if offsets is None else offsets[-1]


def _fit(offsets: list[int] | None, start: int, width: int) -> int:
    """The position up to which the text from `start` fits in `width` cells."""
    if offsets is None:
        return start + width
    return bisect_right(offsets, offsets[start] + width, start) - 1


def _printable(runs: Runs) -> list[Runs]:
    """The runs as lines of printable text: control characters shown as escapes, tabs as
    spaces, split at newlines."""
    lines: list[list[str]] = [[]]
    column = 0
    for text, style in zip(runs[::2], runs[1::2], strict=True):
        for number, part in enumerate(visible(text).split("\n")):
            if number:
                lines.append([])
                column = 0
            pieces = part.split("\t")
            for n, piece in enumerate(pieces[:-1]):
                column += _cells(piece)
                spaces = TAB - column % TAB
                pieces[n] = piece + " " * spaces
                column += spaces
            column += _cells(pieces[-1])
            lines[-1] += ["".join(pieces), style]
    return [tuple(line) for line in lines]


def _breaks(line: str, width: int, offsets: list[int] | None) -> list[int]:
    """Where a printable `line` (its `_offsets`) breaks into lines of at most `width` cells (see
    the rule above): the position at which each line after the first starts."""
    end = len(line.rstrip())
    breaks: list[int] = []
    start = 0
    while (limit := _fit(offsets, start, width)) < end:
        # The first character that does not fit: a space after a word that just fits, or within
        # the word to move to the next line (or to cut, when it starts the line).
        limit = max(limit, start + 1)
        if line[limit] == " ":
            cut = limit + 1
            while line[cut] == " ":
                cut += 1
        else:
            cut = line.rfind(" ", start, limit) + 1
            if not line[start:cut].strip():
                cut = limit
        breaks.append(cut)
        start = cut
    return breaks


class _Layout:
    """The lines of a text report at `width` cells: plain strings, or rich Texts in colour."""

    def __init__(self, width: int, styled: bool) -> None:
        self.width = max(width, _NARROWEST)
        self.styled = styled
        self.lines: list[Any] = []
        # A claim's lines, by the claim object's identity: a claim shows in each of its pairs.
        self.claims: dict[int, list[Any]] = {}
        self.numbers: Numbers = {}
        self.vanished: dict[int, VanishedQuote] = {}

    def add(self, runs: Runs, indent: int = 0, whole: bool = False) -> None:
        """A line of the report, wrapped, each of its lines `indent` cells in. With `whole`, a
        line that is one word of printable one-cell characters (a web address) is never cut,
        however wide: a reader copies it whole."""
        room = self.width - indent
        text = "".join(runs[::2])
        if _NOT_ONE_CELL.search(text) is None:
            # One-cell characters only, none of them special (most lines): measured by length.
            if whole and len(text) > room and " " not in text:
                self._lines(text, runs, [], indent)
            elif len(text) > room or self.styled:
                self._lines(text, runs, _breaks(text, room, None), indent)
            elif stripped := text.rstrip():
                self.lines.append(" " * indent + stripped)
            else:
                self.lines.append("")
            return
        for line in _printable(runs) if _SPECIAL.search(text) else [runs]:
            text = "".join(line[::2])
            self._lines(text, line, _breaks(text, room, _offsets(text)), indent)

    def _lines(self, text: str, runs: Runs, breaks: list[int], indent: int) -> None:
        pad = " " * indent
        if self.styled:
            from rich.text import Text  # only for a terminal: 30 ms to import

            styled = Text.assemble(*zip(runs[::2], runs[1::2], strict=True))
            for piece in styled.divide(breaks):
                piece.rstrip()
                self.lines.append(Text(pad) + piece if piece.plain else Text())
            return
        for start, end in zip([0, *breaks], [*breaks, len(text)], strict=True):
            line = text[start:end].rstrip()
            self.lines.append(pad + line if line else "")

    def rule(self, title: str) -> None:
        """A heading across the line: the title (shortened to fit), then a rule."""
        room = self.width - 2
        offsets = _offsets(title)
        cells = len(title) if offsets is None else offsets[-1]
        if cells > room:
            title = title[: _fit(offsets, 0, room - 1)] + "…"
            cells = _cells(title)
        line = (title, "rule.text", " ", "", "─" * (self.width - cells - 1), "rule.line")
        self._lines("".join(line[::2]), line, [], 0)

    def table(self, rows: list[tuple[str, str]]) -> None:
        """Two columns without borders, as rich lays them out: a space either side of each
        cell; when the table is wider than the line, the first column's cells wrap."""
        rows = [(visible(a), visible(b)) for a, b in rows]
        first = max(_cells(a) for a, _b in rows)
        second = max(_cells(b) for _a, b in rows)
        room = max(min(first, self.width - second - 4), _NARROWEST // 2)
        for number, (a, b) in enumerate(rows):
            style = "bold" if number == 0 else ""
            starts = [0, *_breaks(a, room, _offsets(a))]
            for start, end in zip(starts, [*starts[1:], len(a)], strict=True):
                cell = a[start:end].rstrip()
                cell = f" {cell}{' ' * (room - _cells(cell))}  "
                self._lines(cell + b, (cell, style, b, style), [], 0)
                b = ""

    def blank(self) -> None:
        if self.styled:
            self._lines("", ("", ""), [], 0)
        else:
            self.lines.append("")


def _claim_lines(out: _Layout, claim: ClaimOut) -> None:
    block = out.claims.get(id(claim))
    if block is not None:
        out.lines += block
        return
    start = len(out.lines)
    out.add((f"[{claim.id}] ", "bold", claim.text, "", f"  ({claim.kind})", "dim"), 2)
    verdict = claim.verdict
    colour = "dim" if verdict is None else POLARITY_COLOURS.get(verdict.polarity, "")
    out.add(("verdict: ", "", verdict_label(claim), colour), 6)
    if verdict is not None:
        if verdict.note:
            out.add((verdict.note, "italic"), 8)
        for item in verdict.evidence:
            number = ref(out.numbers, cites(item))
            label = f"evidence [{number}]: " if number else "evidence: "
            out.add((label, "dim", " — ".join(evidence_words(item)), ""), 8)
    for a in claim.appearances:
        quote = quoted(a.quote) if a.quote else "(no quote)"
        number = ref(out.numbers, a.source_id)
        head = f"[{number}] {where(a)}: " if number else f"{where(a)}: "
        mark = gone(out.vanished, a)
        runs = (head, "dim", quote, "")
        out.add((*runs, mark, "bold red") if mark else runs, 6)
    out.claims[id(claim)] = out.lines[start:]


def _pair_lines(out: _Layout, pair: ReportPair) -> None:
    status = (pair.status, STATUS_COLOURS.get(pair.status, ""))
    link = f"  link {pair.link_id} ({pair.relation})"
    out.add((*status, link, "dim", f"  {pair.note}", "") if pair.note else (*status, link, "dim"))
    _claim_lines(out, pair.claim_a)
    _claim_lines(out, pair.claim_b)
    out.blank()


def _sources_lines(out: _Layout, sources: list[ReportSource]) -> None:
    out.rule("Sources")
    for source in sources:
        words = "; ".join(source_words(source))
        label, url = f"[S{source.number}] ", source.url or ""
        if not words and url and _cells(label + url) > out.width - 2:
            # An address alone, too wide for its label's line: under the label, never cut.
            out.add((label.rstrip(), "bold"), 2)
            out.add((url, ""), 6, whole=True)
            continue
        out.add((label, "bold", words or url, ""), 2)
        # The URL on a line of its own, never cut (wider than the line if it must be).
        if words and url:
            out.add((url, ""), 6, whole=True)


def _layout(report: ContradictionReport, out: _Layout) -> None:
    out.numbers = source_numbers(report)
    out.vanished = report.vanished()
    out.add(("Contradiction report", "bold underline"))
    out.add((summary_line(report), ""))
    if report.summary.source_pairs:
        out.blank()
        out.table(
            [("sources", "contradictions")]
            + [(f"{p.source_a} vs {p.source_b}", str(p.pairs)) for p in report.summary.source_pairs]
        )
    by_cluster: dict[int | None, list[ReportPair]] = {}
    for pair in report.pairs:
        by_cluster.setdefault(pair.cluster, []).append(pair)
    for cluster in report.clusters:
        claims = ", ".join(map(str, cluster.claim_ids))
        out.rule(f"Cluster {cluster.id}: {cluster.status} (claims {claims})")
        for pair in by_cluster[cluster.id]:
            _pair_lines(out, pair)
    if report.agreement_conflicts:
        out.rule("Agreeing links with opposite verdicts")
        for pair in report.agreement_conflicts:
            _pair_lines(out, pair)
    if not report.pairs:
        out.add(("No contradictions match.", "dim"))
    if report.sources:
        _sources_lines(out, report.sources)


def text(report: ContradictionReport, width: int) -> Text:
    """The text report for a terminal `width` cells wide, in colour."""
    from rich.text import Text

    out = _Layout(width, styled=True)
    _layout(report, out)
    return Text("\n").join(out.lines)


def plain_text(report: ContradictionReport, width: int) -> str:
    """The text report for a file or a pipe: the lines of `text`, without colour."""
    out = _Layout(width, styled=False)
    _layout(report, out)
    return "\n".join(out.lines) + "\n"


# --- markdown -------------------------------------------------------------------------------


def _claim_md(claim: ClaimOut, numbers: Numbers, vanished: dict[int, VanishedQuote]) -> list[str]:
    lines = [f"- **Claim {claim.id}** ({claim.kind}): {markdown_text(claim.text)}"]
    lines.append(f"  - Verdict: **{markdown_text(verdict_label(claim))}**")
    if claim.verdict is not None:
        if claim.verdict.note:
            lines.append(f"    - {markdown_text(claim.verdict.note)}")
        for item in claim.verdict.evidence:
            number = ref(numbers, cites(item))
            evidence = evidence_linked(item, markdown_text, markdown_link)
            lines.append(f"    - Evidence: {number + ' ' if number else ''}{evidence}")
    for a in claim.appearances:
        quote = quoted(markdown_text(a.quote)) if a.quote else "(no quote)"
        number = ref(numbers, a.source_id)
        source = markdown_link(a.source_key, a.source_url)
        rest = markdown_text(", ".join([a.source_published or "undated", speaker(a)]))
        mark = gone(vanished, a)
        lines.append(
            f"  - {number + ' ' if number else ''}{source}, {rest}: {quote}"
            + (f" **{markdown_text(mark.strip())}**" if mark else "")
        )
    return lines


def _pair_md(pair: ReportPair, numbers: Numbers, vanished: dict[int, VanishedQuote]) -> list[str]:
    lines = [
        f"### Link {pair.link_id}: {pair.status} (claims {pair.claim_a.id} and {pair.claim_b.id})",
        "",
    ]
    if pair.note:
        lines += [f"> {markdown_text(pair.note)}", ""]
    lines += (
        _claim_md(pair.claim_a, numbers, vanished)
        + _claim_md(pair.claim_b, numbers, vanished)
        + [""]
    )
    return lines


def _sources_md(sources: list[ReportSource]) -> list[str]:
    lines = ["## Sources", ""]
    for source in sources:
        entry = source_linked(source, markdown_text, markdown_link)
        lines.append(f"- **S{source.number}** {entry}")
    return [*lines, ""]


def markdown(report: ContradictionReport) -> str:
    numbers = source_numbers(report)
    vanished = report.vanished()
    lines = ["# Contradiction report", "", summary_line(report) + ".", ""]
    lines += ["| status | pairs | meaning |", "|---|---:|---|"]
    lines += [
        f"| {status} | {n} | {STATUS_MEANING[status]} |"
        for status, n in report.summary.by_status.items()
    ]
    lines.append("")
    if report.summary.source_pairs:
        lines += ["## Sources that contradict each other", "", "| sources | contradictions |"]
        lines.append("|---|---:|")
        lines += [
            f"| {markdown_text(sp.source_a)} vs {markdown_text(sp.source_b)} | {sp.pairs} |"
            for sp in report.summary.source_pairs
        ]
        lines.append("")
    for cluster in report.clusters:
        claims = ", ".join(map(str, cluster.claim_ids))
        lines += [f"## Cluster {cluster.id}: {cluster.status} (claims {claims})", ""]
        for pair in report.pairs:
            if pair.cluster == cluster.id:
                lines += _pair_md(pair, numbers, vanished)
    if report.agreement_conflicts:
        lines += ["## Agreeing links with opposite verdicts", ""]
        for pair in report.agreement_conflicts:
            lines += _pair_md(pair, numbers, vanished)
    if report.sources:
        lines += _sources_md(report.sources)
    return "\n".join(lines).rstrip() + "\n"


# --- html -----------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse}
td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}
.pair{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.claims{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.claim p{margin:.2rem 0}.note{font-style:italic;color:#444}
blockquote{margin:.3rem 0 .3rem .5rem;padding-left:.6rem;border-left:3px solid #ccc;color:#333}
.vanished{color:#b00;font-weight:bold}
.where{font-size:.85rem;color:#666}
.evidence{font-size:.9rem;margin-left:1rem}
.sources{list-style:none;padding-left:0}.sources li{margin:.3rem 0}
.badge{display:inline-block;padding:0 .45rem;border-radius:4px;font-size:.85rem;color:#fff;
background:#777}
.status-inconsistent{background:#8e24aa}.status-open{background:#b35c00}
.status-mixed{background:#8a6d00}.status-both-refuted{background:#c62828}
.status-resolved,.status-consistent{background:#2e7d32}
.polarity-supported{color:#2e7d32}.polarity-refuted{color:#c62828}
.polarity-mixed{color:#8a6d00}.polarity-none{color:#777}
@media (max-width:40rem){.claims{grid-template-columns:1fr}}
"""


def _html(value: str) -> str:
    """Text in HTML: markup characters escaped, control characters shown as escapes (a browser
    would drop them silently; the text report shows them the same way)."""
    return html.escape(visible(value))


def _link_html(text: str, url: str | None) -> str:
    """`text` in HTML, a link to `url` when that is a web address."""
    target = link_target(url)
    return f'<a href="{html.escape(target)}">{_html(text)}</a>' if target else _html(text)


def _ref_html(numbers: Numbers, cited: Citation) -> str:
    """The number of the source cited, a link to its entry in the list of sources."""
    number = ref(numbers, cited)
    return f'<a href="#source-{number[1:]}">{number}</a> ' if number else ""


def _claim_html(claim: ClaimOut, numbers: Numbers, vanished: dict[int, VanishedQuote]) -> str:
    e = _html
    polarity = claim.verdict.polarity if claim.verdict else "none"
    parts = [
        '<div class="claim">',
        f"<p><strong>Claim {claim.id}</strong> ({e(claim.kind)}): {e(claim.text)}</p>",
        f'<p>Verdict: <strong class="polarity-{e(polarity)}">{e(verdict_label(claim))}</strong>'
        "</p>",
    ]
    if claim.verdict is not None:
        if claim.verdict.note:
            parts.append(f'<p class="note">{e(claim.verdict.note)}</p>')
        parts += [
            f'<p class="evidence">Evidence: {_ref_html(numbers, cites(item))}'
            f"{evidence_linked(item, _html, _link_html)}</p>"
            for item in claim.verdict.evidence
        ]
    for a in claim.appearances:
        rest = e(", ".join([a.source_published or "undated", speaker(a)]))
        source = _link_html(a.source_key, a.source_url)
        parts.append(f'<p class="where">{_ref_html(numbers, a.source_id)}{source}, {rest}</p>')
        if a.quote:
            parts.append(f"<blockquote>{e(a.quote)}</blockquote>")
        if mark := gone(vanished, a):
            parts.append(f'<p class="vanished">{e(mark.strip())}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def _pair_html(pair: ReportPair, numbers: Numbers, vanished: dict[int, VanishedQuote]) -> str:
    e = _html
    note = f" {e(pair.note)}" if pair.note else ""
    return (
        f'<div class="pair" id="link-{pair.link_id}">\n'
        f'<p><span class="badge status-{e(pair.status)}">{e(pair.status)}</span> '
        f"<strong>Link {pair.link_id}</strong> ({e(pair.relation)}){note}</p>\n"
        f'<div class="claims">\n{_claim_html(pair.claim_a, numbers, vanished)}\n'
        f"{_claim_html(pair.claim_b, numbers, vanished)}\n</div>\n</div>"
    )


def _sources_html(sources: list[ReportSource]) -> list[str]:
    items = [
        f'<li id="source-{source.number}"><strong>S{source.number}</strong> '
        f"{source_linked(source, _html, _link_html)}</li>"
        for source in sources
    ]
    return ['<h2 id="sources">Sources</h2>', '<ol class="sources">', *items, "</ol>"]


def html_page(report: ContradictionReport) -> str:
    e = _html
    numbers = source_numbers(report)
    vanished = report.vanished()
    body = [
        "<h1>Contradiction report</h1>",
        f"<p>{e(summary_line(report))}.</p>",
        "<table><tr><th>status</th><th>pairs</th><th>meaning</th></tr>",
    ]
    body += [
        f'<tr><td><span class="badge status-{status}">{status}</span></td><td>{n}</td>'
        f"<td>{e(STATUS_MEANING[status])}</td></tr>"
        for status, n in report.summary.by_status.items()
    ]
    body.append("</table>")
    if report.summary.source_pairs:
        body.append("<h2>Sources that contradict each other</h2><table>")
        body.append("<tr><th>sources</th><th>contradictions</th></tr>")
        body += [
            f"<tr><td>{e(sp.source_a)} vs {e(sp.source_b)}</td><td>{sp.pairs}</td></tr>"
            for sp in report.summary.source_pairs
        ]
        body.append("</table>")
    for cluster in report.clusters:
        claims = ", ".join(map(str, cluster.claim_ids))
        body.append(
            f'<h2 id="cluster-{cluster.id}">Cluster {cluster.id}: {e(cluster.status)} '
            f"(claims {claims})</h2>"
        )
        body += [_pair_html(p, numbers, vanished) for p in report.pairs if p.cluster == cluster.id]
    if report.agreement_conflicts:
        body.append("<h2>Agreeing links with opposite verdicts</h2>")
        body += [_pair_html(p, numbers, vanished) for p in report.agreement_conflicts]
    if report.sources:
        body += _sources_html(report.sources)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Contradiction report</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


# --- csv ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    ["cluster", "link_id", "status", "note"]
    + [
        f"claim_{side}_{field}"
        for side in ("a", "b")
        for field in (
            "id",
            "text",
            "kind",
            "verdict",
            "polarity",
            "verdict_note",
            "sources",
            "quotes",
        )
    ]
    + ["claim_a_evidence", "claim_b_evidence"]
)  # last: the columns before keep their places


def _evidence_cell(claim: ClaimOut) -> str:
    """Each piece of the current verdict's evidence: its source's key, or its URL."""
    evidence = claim.verdict.evidence if claim.verdict else []
    return " | ".join(item.source_key or item.url or "" for item in evidence)


def _claim_cells(claim: ClaimOut) -> list[str | int]:
    verdict = claim.verdict
    return [
        claim.id,
        claim.text,
        claim.kind,
        verdict.label if verdict else "",
        verdict.polarity if verdict else "",
        (verdict.note or "") if verdict else "",
        " | ".join(dict.fromkeys(a.source_key for a in claim.appearances)),
        " | ".join(a.quote for a in claim.appearances if a.quote),
    ]


def csv_text(report: ContradictionReport) -> str:
    """One row per contradiction pair (text cells made safe for spreadsheets as the export's
    are: factcheck.interchange.csvcells)."""
    rows = (
        [
            p.cluster if p.cluster is not None else "",
            p.link_id,
            p.status,
            p.note or "",
            *_claim_cells(p.claim_a),
            *_claim_cells(p.claim_b),
            _evidence_cell(p.claim_a),
            _evidence_cell(p.claim_b),
        ]
        for p in report.pairs
    )
    return "".join(csv_lines(CSV_COLUMNS, rows))


# --- dot ------------------------------------------------------------------------------------

DOT_FILL = {"supported": "#c8e6c9", "refuted": "#ffcdd2", "mixed": "#fff9c4", "none": "#eeeeee"}


def _dot_string(value: str) -> str:
    """A quoted DOT string; control characters are shown as escapes (as in the text report),
    since Graphviz would copy them into SVG, where they are not allowed."""
    escaped = visible(value).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n") + '"'


def dot(report: ContradictionReport) -> str:
    """Claims as nodes coloured by verdict polarity; red edges contradict, green arrows agree
    ("A supports B" points from A to B)."""
    claims: dict[int, ClaimOut] = {}
    for p in (*report.pairs, *report.agreements):
        claims.setdefault(p.claim_a.id, p.claim_a)
        claims.setdefault(p.claim_b.id, p.claim_b)
    lines = [
        "digraph contradictions {",
        '  graph [layout=neato, overlap=false, splines=true, fontname="Helvetica", '
        'label="Contradictions (red) and agreements (green); nodes coloured by verdict"];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for claim_id in sorted(claims):
        claim = claims[claim_id]
        polarity = claim.verdict.polarity if claim.verdict else "none"
        label = f"{claim.id}: " + "\n".join(textwrap.wrap(claim.text, 40))
        label += f"\n[{verdict_label(claim)}]"
        fill = _dot_string(DOT_FILL[polarity])
        lines.append(f"  c{claim.id} [label={_dot_string(label)}, fillcolor={fill}];")
    for p in report.pairs:
        lines.append(
            f"  c{p.claim_a.id} -> c{p.claim_b.id} [dir=none, color=red, penwidth=2, "
            f"label={_dot_string(p.status)}, tooltip={_dot_string(p.note or '')}];"
        )
    for p in report.agreements:
        style = "bold" if p.status == "inconsistent" else "dashed"
        lines.append(
            f"  c{p.claim_a.id} -> c{p.claim_b.id} [color=darkgreen, style={style}, "
            f"label={_dot_string(p.relation)}, tooltip={_dot_string(p.note or '')}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
