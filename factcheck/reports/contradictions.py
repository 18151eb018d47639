"""The contradiction report rendered as text (rich), Markdown, HTML, CSV and Graphviz DOT.

Every format says the same thing: the summary, the clusters with their pairs (both claims,
their appearances, current verdicts and the link's note), and the agreeing links whose sides got
opposite verdicts.
"""

from __future__ import annotations

import csv
import html
import io
import re
import textwrap
from collections.abc import Callable
from functools import partial

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from factcheck.reports import plural
from factcheck.schemas import AppearanceOut, ClaimOut
from factcheck.services.report import ContradictionReport, ReportPair

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
    parts = [a.source_key, a.source_published or "undated", a.claimant or "unknown claimant"]
    return ", ".join(parts)


def summary_line(report: ContradictionReport) -> str:
    s = report.summary
    counts = ", ".join(f"{n} {status}" for status, n in s.by_status.items() if n) or "none"
    return (
        f"{plural(s.pairs, 'contradiction')} in {plural(s.clusters, 'cluster')} among "
        f"{plural(s.claims, 'claim')}: {counts}; "
        f"{plural(s.agreement_conflicts, 'agreeing link')} with opposite verdicts"
    )


# --- text -----------------------------------------------------------------------------------


def _indented(renderable: RenderableType, left: int) -> RenderableType:
    """Indent a block so that wrapped lines stay aligned under its first line."""
    return Padding(renderable, (0, 0, 0, left))


# One function per line of the text report: `plain_text` hands these very Texts to rich for the
# lines it does not lay out itself (see below).


def _claim_head(claim: ClaimOut) -> Text:
    head = Text(f"[{claim.id}] ", style="bold")
    head.append(claim.text)
    head.append(f"  ({claim.kind})", style="dim")
    return head


def _verdict_line(claim: ClaimOut) -> Text:
    verdict = Text("verdict: ")
    verdict.append(
        verdict_label(claim),
        style=POLARITY_COLOURS.get(claim.verdict.polarity, "") if claim.verdict else "dim",
    )
    return verdict


def _note_line(note: str) -> Text:
    return Text(note, style="italic")


def _appearance_line(a: AppearanceOut) -> Text:
    line = Text(f"{where(a)}: ", style="dim")
    line.append(f"“{a.quote}”" if a.quote else "(no quote)")
    return line


def _pair_head(pair: ReportPair) -> Text:
    head = Text()
    head.append(pair.status, style=STATUS_COLOURS.get(pair.status, ""))
    head.append(f"  link {pair.link_id} ({pair.relation})", style="dim")
    if pair.note:
        head.append(f"  {pair.note}")
    return head


def _claim_text(claim: ClaimOut) -> RenderableType:
    lines: list[RenderableType] = [
        _indented(_claim_head(claim), 2),
        _indented(_verdict_line(claim), 6),
    ]
    if claim.verdict is not None and claim.verdict.note:
        lines.append(_indented(_note_line(claim.verdict.note), 8))
    lines += [_indented(_appearance_line(a), 6) for a in claim.appearances]
    return Group(*lines)


def _pair_text(pair: ReportPair) -> RenderableType:
    return Group(_pair_head(pair), _claim_text(pair.claim_a), _claim_text(pair.claim_b), Text(""))


def _source_table(report: ContradictionReport) -> Table:
    table = Table("sources", "contradictions", box=None, header_style="bold")
    for sp in report.summary.source_pairs:
        table.add_row(f"{sp.source_a} vs {sp.source_b}", str(sp.pairs))
    return table


def _title() -> Text:
    return Text("Contradiction report", style="bold underline")


def _nothing() -> Text:
    return Text("No contradictions match.", style="dim")


def text(report: ContradictionReport) -> RenderableType:
    parts: list[RenderableType] = [_title(), Text(summary_line(report))]
    if report.summary.source_pairs:
        parts += [Text(""), _source_table(report)]
    by_cluster: dict[int | None, list[ReportPair]] = {}
    for pair in report.pairs:
        by_cluster.setdefault(pair.cluster, []).append(pair)
    for cluster in report.clusters:
        claims = ", ".join(map(str, cluster.claim_ids))
        parts.append(
            Rule(f"Cluster {cluster.id}: {cluster.status} (claims {claims})", align="left")
        )
        parts += [_pair_text(pair) for pair in by_cluster[cluster.id]]
    if report.agreement_conflicts:
        parts.append(Rule("Agreeing links with opposite verdicts", align="left"))
        parts += [_pair_text(pair) for pair in report.agreement_conflicts]
    if not report.pairs:
        parts.append(_nothing())
    return Group(*parts)


# --- plain text -----------------------------------------------------------------------------
#
# The text report for files and pipes is the rich rendering above, uncoloured, at a fixed width,
# with trailing spaces trimmed. Rendering tens of thousands of claims through rich's layout
# machinery (a Group of Paddings of Texts, segment by segment) took minutes, so `plain_text`
# lays the same lines out itself: rich's word-wrapping rule applied to plain strings. It covers
# the text it can lay out exactly (printable characters, words no wider than the line) and hands
# anything else (control characters, tabs, very long words, a table or title too wide for the
# line) to `fallback`, the caller's own rich rendering of one renderable, so that the output is
# byte for byte what rich prints (tests compare the two on hostile input). What `fallback` gets
# for a line is the report's own Text, styles and all, not its plain string: rich measures a
# line as one string when it wraps it but style by style when it crops it, and the two disagree
# around a zero width joiner (its width rule hides the character after it, but not across a
# change of style), so rich may crop a line's last character that an unstyled copy keeps.

_PLAIN_WORD = re.compile(r"\s*\S+\s*")
# Printable letters and punctuation that take one cell each, like ASCII (Latin-1 and Latin
# Extended letters, typographic quotes and dashes): a line of these and ASCII is laid out by
# position. Spaces other than " ", zero-width and combining characters are not among them.
_ONE_CELL = "".join(
    chr(c)
    for c in [*range(0xA1, 0x250), *range(0x2010, 0x2028), *range(0x2030, 0x205F)]
    if chr(c).isprintable() and cell_len(chr(c)) == 1
)
_NOT_ONE_CELL = re.compile(f"[^ -~{re.escape(_ONE_CELL)}]")


def _wrap(text: str, width: int) -> list[str] | None:
    """`text` wrapped as rich wraps it at `width` cells, or None when it needs rich itself."""
    lines: list[str] = []
    for line in text.split("\n"):
        if _NOT_ONE_CELL.search(line) is None:
            wrapped = _wrap_ascii(line, width)
        elif line.isprintable():
            wrapped = _wrap_words(line, width)
        else:
            return None
        if wrapped is None:
            return None
        lines += wrapped
    return lines


def _wrap_ascii(line: str, width: int) -> list[str] | None:
    """Rich's rule where every character is one cell and the only space is " " (printable text
    has no other whitespace): a line breaks
    before the first word whose last letter would pass the width (found by position, not word
    by word: most of the time goes here)."""
    out = []
    start = 0
    end = len(line.rstrip())
    while end - start > width:
        limit = start + width
        if line[limit] == " ":
            # The word before fits exactly: break before the next one.
            cut = limit + 1
            while line[cut] == " ":
                cut += 1
        else:
            cut = line.rfind(" ", start, limit) + 1
        if not line[start:cut].strip():
            return None  # a word (with the spaces before it) wider than the line: rich folds it
        out.append(line[start:cut].rstrip())
        start = cut
    out.append(line[start:end])
    return out


def _wrap_words(line: str, width: int) -> list[str] | None:
    """Rich's rule word by word, with cell widths (wide characters take two cells)."""
    if cell_len(line.rstrip()) <= width:
        return [line.rstrip()]
    out = []
    position = 0
    start = 0
    for match in _PLAIN_WORD.finditer(line):
        word = match.group()
        word_cells = cell_len(word.rstrip())
        if word_cells > width:
            return None  # folded across lines by rich: left to rich
        if width - position >= word_cells:
            position += cell_len(word)
        elif position and match.start():
            out.append(line[start : match.start()].rstrip())
            start = match.start()
            position = cell_len(word)
    out.append(line[start:].rstrip())
    return out


class _PlainWriter:
    def __init__(self, width: int, fallback: Callable[[RenderableType], str]) -> None:
        self.width = width
        self.fallback = fallback
        self.lines: list[str] = []
        # A claim's block, by the claim object's identity: a claim shows in each of its pairs.
        self.claims: dict[int, list[str]] = {}

    def rich(self, renderable: RenderableType) -> None:
        self.lines.extend(self.fallback(renderable).splitlines())

    def text(self, text: str, indent: int, make: Callable[[], Text]) -> None:
        """Lay out `text`, the plain string of the Text `make()` (built only when rich is needed:
        the report's own Text, styles and all, since rich crops a line style by style)."""
        if len(text) <= self.width - indent and _NOT_ONE_CELL.search(text) is None:
            # One line of one-cell characters that fits (most lines): `_wrap`'s answer, sooner.
            line = text.rstrip()
            self.lines.append(" " * indent + line if line else "")
            return
        wrapped = _wrap(text, self.width - indent)
        if wrapped is None:
            rendered: RenderableType = make()
            self.rich(_indented(rendered, indent) if indent else rendered)
            return
        pad = " " * indent
        self.lines.extend(pad + line if line else "" for line in wrapped)

    def rule(self, title: str) -> None:
        if title.isascii() and title.isprintable() and len(title) <= self.width - 2:
            self.lines.append(title + " " + "─" * (self.width - len(title) - 1))
        else:
            self.rich(Rule(title, align="left"))

    def source_table(self, report: ContradictionReport) -> None:
        rows = [("sources", "contradictions")] + [
            (f"{sp.source_a} vs {sp.source_b}", str(sp.pairs)) for sp in report.summary.source_pairs
        ]
        # Cells pass through rich's emoji codes (":name:"): those, and a table wider than the
        # line (which rich would squeeze and wrap), are left to rich.
        cells = [cell for row in rows for cell in row]
        simple = all(c.isascii() and c.isprintable() and ":" not in c for c in cells)
        first = max(len(row[0]) for row in rows)
        second = max(len(row[1]) for row in rows)
        if not simple or first + second + 4 > self.width:
            self.rich(_source_table(report))
            return
        self.lines.extend(f" {a.ljust(first)}  {b}".rstrip() for a, b in rows)

    def claim(self, claim: ClaimOut) -> None:
        block = self.claims.get(id(claim))
        if block is None:
            start = len(self.lines)
            self.text(f"[{claim.id}] {claim.text}  ({claim.kind})", 2, partial(_claim_head, claim))
            self.text("verdict: " + verdict_label(claim), 6, partial(_verdict_line, claim))
            note = claim.verdict.note if claim.verdict is not None else None
            if note:
                self.text(note, 8, partial(_note_line, note))
            for a in claim.appearances:
                quote = f"“{a.quote}”" if a.quote else "(no quote)"
                self.text(f"{where(a)}: {quote}", 6, partial(_appearance_line, a))
            self.claims[id(claim)] = self.lines[start:]
        else:
            self.lines += block

    def pair(self, pair: ReportPair) -> None:
        head = f"{pair.status}  link {pair.link_id} ({pair.relation})"
        self.text(head + (f"  {pair.note}" if pair.note else ""), 0, partial(_pair_head, pair))
        self.claim(pair.claim_a)
        self.claim(pair.claim_b)
        self.lines.append("")


def plain_text(
    report: ContradictionReport, width: int, fallback: Callable[[RenderableType], str]
) -> str:
    """`text(report)` as rich prints it without colour at `width` cells, trailing spaces
    trimmed; `fallback` renders one renderable that way (see above)."""
    out = _PlainWriter(width, fallback)
    out.text("Contradiction report", 0, _title)
    summary = summary_line(report)
    out.text(summary, 0, partial(Text, summary))
    if report.summary.source_pairs:
        out.lines.append("")
        out.source_table(report)
    by_cluster: dict[int | None, list[ReportPair]] = {}
    for pair in report.pairs:
        by_cluster.setdefault(pair.cluster, []).append(pair)
    for cluster in report.clusters:
        claims = ", ".join(map(str, cluster.claim_ids))
        out.rule(f"Cluster {cluster.id}: {cluster.status} (claims {claims})")
        for pair in by_cluster[cluster.id]:
            out.pair(pair)
    if report.agreement_conflicts:
        out.rule("Agreeing links with opposite verdicts")
        for pair in report.agreement_conflicts:
            out.pair(pair)
    if not report.pairs:
        out.text("No contradictions match.", 0, _nothing)
    return "\n".join(out.lines) + "\n"


# --- markdown -------------------------------------------------------------------------------


def _md(value: str) -> str:
    """Inline Markdown text: characters that would start markup are escaped."""
    escaped = value.replace("\\", "\\\\")
    for char in "*_`[]<>|#":
        escaped = escaped.replace(char, "\\" + char)
    return " ".join(escaped.split())


def _claim_md(claim: ClaimOut) -> list[str]:
    lines = [f"- **Claim {claim.id}** ({claim.kind}): {_md(claim.text)}"]
    lines.append(f"  - Verdict: **{verdict_label(claim)}**")
    if claim.verdict is not None and claim.verdict.note:
        lines.append(f"    - {_md(claim.verdict.note)}")
    for a in claim.appearances:
        quote = f"“{_md(a.quote)}”" if a.quote else "(no quote)"
        lines.append(f"  - {_md(where(a))}: {quote}")
    return lines


def _pair_md(pair: ReportPair) -> list[str]:
    lines = [
        f"### Link {pair.link_id}: {pair.status} (claims {pair.claim_a.id} and {pair.claim_b.id})",
        "",
    ]
    if pair.note:
        lines += [f"> {_md(pair.note)}", ""]
    lines += _claim_md(pair.claim_a) + _claim_md(pair.claim_b) + [""]
    return lines


def markdown(report: ContradictionReport) -> str:
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
            f"| {_md(sp.source_a)} vs {_md(sp.source_b)} | {sp.pairs} |"
            for sp in report.summary.source_pairs
        ]
        lines.append("")
    for cluster in report.clusters:
        claims = ", ".join(map(str, cluster.claim_ids))
        lines += [f"## Cluster {cluster.id}: {cluster.status} (claims {claims})", ""]
        for pair in report.pairs:
            if pair.cluster == cluster.id:
                lines += _pair_md(pair)
    if report.agreement_conflicts:
        lines += ["## Agreeing links with opposite verdicts", ""]
        for pair in report.agreement_conflicts:
            lines += _pair_md(pair)
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
.where{font-size:.85rem;color:#666}
.badge{display:inline-block;padding:0 .45rem;border-radius:4px;font-size:.85rem;color:#fff;
background:#777}
.inconsistent{background:#8e24aa}.open{background:#e68a00}.mixed{background:#b59b00}
.both-refuted{background:#c62828}.resolved,.consistent{background:#2e7d32}
.supported{color:#2e7d32}.refuted{color:#c62828}.none{color:#777}
@media (max-width:40rem){.claims{grid-template-columns:1fr}}
"""


def _claim_html(claim: ClaimOut) -> str:
    e = html.escape
    polarity = claim.verdict.polarity if claim.verdict else "none"
    parts = [
        '<div class="claim">',
        f"<p><strong>Claim {claim.id}</strong> ({e(claim.kind)}): {e(claim.text)}</p>",
        f'<p>Verdict: <strong class="{e(polarity)}">{e(verdict_label(claim))}</strong></p>',
    ]
    if claim.verdict is not None and claim.verdict.note:
        parts.append(f'<p class="note">{e(claim.verdict.note)}</p>')
    for a in claim.appearances:
        parts.append(f'<p class="where">{e(where(a))}</p>')
        if a.quote:
            parts.append(f"<blockquote>{e(a.quote)}</blockquote>")
    parts.append("</div>")
    return "\n".join(parts)


def _pair_html(pair: ReportPair) -> str:
    e = html.escape
    note = f" {e(pair.note)}" if pair.note else ""
    return (
        f'<div class="pair" id="link-{pair.link_id}">\n'
        f'<p><span class="badge {e(pair.status)}">{e(pair.status)}</span> '
        f"<strong>Link {pair.link_id}</strong> ({e(pair.relation)}){note}</p>\n"
        f'<div class="claims">\n{_claim_html(pair.claim_a)}\n{_claim_html(pair.claim_b)}\n'
        "</div>\n</div>"
    )


def html_page(report: ContradictionReport) -> str:
    e = html.escape
    body = [
        "<h1>Contradiction report</h1>",
        f"<p>{e(summary_line(report))}.</p>",
        "<table><tr><th>status</th><th>pairs</th><th>meaning</th></tr>",
    ]
    body += [
        f'<tr><td><span class="badge {status}">{status}</span></td><td>{n}</td>'
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
        body += [_pair_html(p) for p in report.pairs if p.cluster == cluster.id]
    if report.agreement_conflicts:
        body.append("<h2>Agreeing links with opposite verdicts</h2>")
        body += [_pair_html(p) for p in report.agreement_conflicts]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Contradiction report</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


# --- csv ------------------------------------------------------------------------------------

CSV_COLUMNS = ["cluster", "link_id", "status", "note"] + [
    f"claim_{side}_{field}"
    for side in ("a", "b")
    for field in ("id", "text", "kind", "verdict", "polarity", "verdict_note", "sources", "quotes")
]


def _claim_cells(claim: ClaimOut) -> list[str]:
    verdict = claim.verdict
    return [
        str(claim.id),
        claim.text,
        claim.kind,
        verdict.label if verdict else "",
        verdict.polarity if verdict else "",
        (verdict.note or "") if verdict else "",
        " | ".join(dict.fromkeys(a.source_key for a in claim.appearances)),
        " | ".join(a.quote for a in claim.appearances if a.quote),
    ]


def csv_text(report: ContradictionReport) -> str:
    """One row per contradiction pair."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in report.pairs:
        writer.writerow(
            [
                str(p.cluster),
                str(p.link_id),
                p.status,
                p.note or "",
                *_claim_cells(p.claim_a),
                *_claim_cells(p.claim_b),
            ]
        )
    return out.getvalue()


# --- dot ------------------------------------------------------------------------------------

DOT_FILL = {"supported": "#c8e6c9", "refuted": "#ffcdd2", "mixed": "#fff9c4", "none": "#eeeeee"}


def _dot_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


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
