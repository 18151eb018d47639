"""Every command and group of the CLI is one of these: their help names values in words
(`--tag TAG`, `CLAIM_ID`) rather than Python types (`<list[str]>`, `<int range>`), and a value
refused by validation is reported in the user's terms, naming the option they typed.

`factcheck.cli.build` makes every command a `Command` and every group a `Group`.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from factcheck.vocab import MAX_INT


def _name_values(params: list[Any]) -> None:
    """A metavar for each parameter without one: an argument's name in capitals, an option's
    long name (`--min-score MIN_SCORE`); a choice keeps its list of values."""
    for param in params:
        if param.metavar is not None:
            continue
        if param.param_type_name == "argument":
            param.metavar = param.name.upper() + ("..." if param.nargs != 1 else "")
        elif not (param.is_flag or param.count):
            descriptor = getattr(param, "type_descriptor", None)
            if descriptor is None or not descriptor.is_choice:
                longest = max(param.opts, key=len)
                param.metavar = longest.lstrip("-").replace("-", "_").upper()


def _meaningful_ranges(params: list[Any]) -> None:
    """Help gives a number's range only where it tells the user something (`--min-score`:
    0.0<=x<=1.0): not the largest integer the database stores, which bounds every id, limit
    and offset (`[1<=x<=2147483647]`), nor then the obvious lowest id or count. Only the help
    reads these; the values are still checked against the whole range."""
    for param in params:
        if getattr(param, "max", None) == MAX_INT:
            param.max = None
            if param.min in (0, 1):
                param.min = None


def _plain_usage_error(exc: typer.BadParameter) -> None:
    """Typer checks an option's value with pydantic and passes on pydantic's wording ("Input
    should be a valid integer, unable to parse string as an integer"): said plainly instead."""
    pydantic = sys.modules.get("pydantic")
    cause = exc.__cause__
    if pydantic is not None and isinstance(cause, pydantic.ValidationError):
        from factcheck.schemas import plain_message

        exc.message = plain_message(cause.errors()[0])


def _in_users_terms(exc: Exception, params: list[Any]) -> None:
    """A validation error from a command's input model, as `Error: --option: message`."""
    pydantic = sys.modules.get("pydantic")
    if pydantic is not None and isinstance(exc, pydantic.ValidationError):
        from factcheck.cli.errors import fail, validation_message

        fail(validation_message(exc, params))


class _Plain:
    """What commands and groups share: values named in help, validation said plainly."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_values(self.params)
        _meaningful_ranges(self.params)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            rest: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
            return rest
        except typer.BadParameter as exc:
            _plain_usage_error(exc)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except Exception as exc:
            _in_users_terms(exc, self.params)
            raise


class Command(_Plain, TyperCommand):
    def format_options(self, ctx: Any, formatter: Any) -> None:
        """Typer's sections, but an argument is shown by its name alone: Typer adds its type
        (`CLAIM_ID <int range>`) whatever its metavar says."""
        sections: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None or param.param_type_name not in sections:
                continue
            if param.param_type_name == "argument":
                record = (str(param.metavar), record[1])
            sections[param.param_type_name].append(record)
        for title, kind in (("Arguments", "argument"), ("Options", "option")):
            if sections[kind]:
                with formatter.section(title):
                    formatter.write_dl(sections[kind])


class Group(_Plain, TyperGroup):
    pass
