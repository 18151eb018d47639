"""The rich consoles everything in the terminal is printed with.

A module of its own so that rich (tens of milliseconds to import) is loaded only by the commands
that print through it: `factcheck.cli.render` hands these out on first use.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment

from factcheck.text import visible


class SafeConsole(Console):
    """A console that never sends control characters from the text it prints to the terminal.

    Claims, notes and tags come from people and datasets; an ANSI or OSC sequence among them would
    otherwise recolour, retitle or garble the researcher's terminal. Rich's own styling travels as
    styles and control segments, which are left alone.
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(visible(segment.text), segment.style)
            for segment in buffer
        )


console = SafeConsole(markup=False, highlight=False, soft_wrap=True)
errors = SafeConsole(stderr=True, markup=False, highlight=False, soft_wrap=True)
