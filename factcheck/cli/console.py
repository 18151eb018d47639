"""The rich consoles everything in the terminal is printed with.

A module of its own so that rich (tens of milliseconds to import) is loaded only by the commands
that print through it: `factcheck.cli.render` hands these out on first use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rich.text
from rich.console import Console
from rich.segment import Segment

from factcheck.text import visible


class SafeConsole(Console):
    """A console that prints text as it is: never sends control characters from it to the
    terminal, and reads no markup or emoji codes in it.

    Claims, notes and tags come from people and datasets; an ANSI or OSC sequence among them would
    otherwise recolour, retitle or garble the researcher's terminal. Rich's own styling travels as
    styles and control segments, which are left alone. A claim may well contain "[1]", "[bold]"
    or ":warning:", which rich would otherwise take for markup or replace with an emoji (in any
    string it prints, markup off or not), so those are off unless a caller turns them on.
    """

    def __init__(self, **options: Any) -> None:
        for option in ("markup", "emoji", "highlight"):
            options.setdefault(option, False)
        super().__init__(**options)

    def render_str(self, text: str, **options: Any) -> rich.text.Text:
        """A string printed, or a table cell: its control characters shown (see `Text`)."""
        return super().render_str(visible(text), **options)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(visible(segment.text), segment.style)
            for segment in buffer
        )


class Text(rich.text.Text):
    """Rich's Text, except that the control characters of the text it is made of are shown as
    escapes (`\\x07`) rather than dropped: rich deletes bell, backspace, vertical tab, form feed
    and carriage return as a Text is made, and a researcher looking at odd data should see all
    of it. Every Text the CLI makes from stored text is one of these."""

    def __init__(self, text: str = "", *args: Any, **options: Any) -> None:
        super().__init__(visible(text), *args, **options)

    def append(self, text: str | rich.text.Text, style: str | Any | None = None) -> Text:
        super().append(visible(text) if isinstance(text, str) else text, style)
        return self


console = SafeConsole(soft_wrap=True)
errors = SafeConsole(stderr=True, soft_wrap=True)
