"""`factcheck entity ...`: people, organisations and places, with every spelling of their names."""

from typing import TYPE_CHECKING, Annotated

import typer

from factcheck.cli import paging, render
from factcheck.cli.options import AllOpt, ClearOpt, JsonOpt, LimitOpt, OffsetOpt
from factcheck.cli.removal import YesOpt, remove, removed
from factcheck.cli.state import state
from factcheck.vocab import EntityKind

if TYPE_CHECKING:
    from factcheck.schemas import EntityOut

app = typer.Typer(help="Add entities and their alias spellings; list, show and edit them.")

EntityArg = Annotated[str, typer.Argument(metavar="ENTITY", help="Entity id, name or alias.")]


def _print(entity_id: int, name: str, kind: str, aliases: list[str]) -> None:
    render.console.print(f"{entity_id}  {name} ({kind})")
    others = [a for a in aliases if a != name]
    if others:
        render.console.print(f"    also: {', '.join(others)}")


def _shown(entity: "EntityOut", as_json: bool) -> None:
    """An entity as a changing command prints it: JSON, or its name and spellings."""
    if as_json:
        render.print_json(entity)
    else:
        _print(entity.id, entity.name, entity.kind, entity.aliases)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Canonical name.")],
    kind: Annotated[EntityKind, typer.Option(help="Kind of entity.")] = "other",
    alias: Annotated[
        list[str] | None, typer.Option("--alias", "-a", help="Another spelling (repeatable).")
    ] = None,
    notes: Annotated[str | None, typer.Option(help="Free notes.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Add an entity and print its id. Names and aliases match ignoring case, accents and
    apostrophes, so "Qa'ani" finds "Qaani".

    Example: factcheck entity add "Qassem Soleimani" --kind person --alias "Qassim Soleimani"
    --alias Suleimani
    """
    from factcheck.schemas import EntityIn
    from factcheck.services.entities import add_entity

    data = EntityIn(name=name, kind=kind, aliases=alias or [], notes=notes)
    with state(ctx).database().store(write=True) as store:
        created = add_entity(store, data)
    render.created(created, json_)


@app.command("alias")
def alias(
    ctx: typer.Context,
    entity: EntityArg,
    aliases: Annotated[list[str], typer.Argument(metavar="ALIAS...", help="Spellings to add.")],
    json_: JsonOpt = False,
) -> None:
    """Add spellings to an entity.

    Example: factcheck entity alias "Esmail Qaani" "Esmael Qa'ani"
    """
    from factcheck.services.entities import add_aliases

    with state(ctx).database().store(write=True) as store:
        found = add_aliases(store, entity, aliases)
    _shown(found, json_)


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
    all_: AllOpt = False,
    json_: JsonOpt = False,
) -> None:
    """List entities by name, with their aliases and claim counts.

    Example: factcheck entity list --all
    """
    from factcheck.services.entities import list_entities

    page = paging.requested(limit, offset, all_, json_)
    with state(ctx).database().store() as store:
        entities = list_entities(store, page)
    if json_:
        render.print_json(entities.items)
    else:
        grid = render.table("id", "name", "kind", "claims", "aliases")
        for e in entities.items:
            others = ", ".join(a for a in e.aliases if a != e.name)
            grid.add_row(str(e.id), e.name, e.kind, str(e.claims), others)
        render.show(grid)
    paging.footer(entities, "entity", "entities", json_)


@app.command("show")
def show(ctx: typer.Context, entity: EntityArg, json_: JsonOpt = False) -> None:
    """Show an entity, its spellings and the claims that mention it.

    Example: factcheck entity show Suleimani
    """
    from factcheck.services.entities import show_entity

    with state(ctx).database().store() as store:
        found = show_entity(store, entity)
    if json_:
        render.print_json(found)
        return
    _print(found.id, found.name, found.kind, found.aliases)
    if found.notes:
        render.console.print(f"    notes: {found.notes}")
    render.console.print(f"    claims: {', '.join(map(str, found.claim_ids)) or 'none'}")


@app.command("edit")
def edit(
    ctx: typer.Context,
    entity: EntityArg,
    kind: Annotated[EntityKind | None, typer.Option(help="New kind of entity.")] = None,
    notes: Annotated[str | None, typer.Option(help="Replace the notes.")] = None,
    clear: ClearOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Change an entity's kind or notes (the old values stay in `factcheck log`); its spellings
    change with `entity alias` and `entity unalias`. `--clear notes` empties its notes.

    Example: factcheck entity edit Suleimani --kind person --clear notes
    """
    from factcheck.schemas import EntityEdit
    from factcheck.services.entities import edit_entity

    data = EntityEdit(kind=kind, notes=notes, clear=clear or [])
    with state(ctx).database().store(write=True) as store:
        found = edit_entity(store, entity, data)
    _shown(found, json_)


@app.command("unalias")
def unalias(
    ctx: typer.Context,
    entity: EntityArg,
    aliases: Annotated[list[str], typer.Argument(metavar="ALIAS...", help="Spellings to remove.")],
    yes: YesOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Remove spellings of an entity (matched ignoring case and accents); its name stays. Asks
    first (`--yes` in scripts).

    Example: factcheck entity unalias "Esmail Qaani" "Esmael Qa'ani" --yes
    """
    from factcheck.services.entities import remove_aliases, unalias_removal

    found = remove(
        ctx,
        lambda s: unalias_removal(s, entity, aliases),
        lambda s: remove_aliases(s, entity, aliases),
        yes,
    )
    _shown(found, json_)


@app.command("delete")
def delete(
    ctx: typer.Context, entity: EntityArg, yes: YesOpt = False, json_: JsonOpt = False
) -> None:
    """Delete an entity with its spellings and its mentions in claims (the claims stay). Says
    what goes and asks first (`--yes` in scripts); every deleted row stays in `factcheck log`.

    Example: factcheck entity delete "Hassan Diab" --yes
    """
    from factcheck.services.entities import delete_entity, entity_removal

    found = remove(
        ctx, lambda s: entity_removal(s, entity), lambda s: delete_entity(s, entity), yes
    )
    removed(found, json_)


@app.command("merge")
def merge(
    ctx: typer.Context,
    entity: EntityArg,
    other: Annotated[
        str, typer.Argument(metavar="OTHER", help="The entity merged into ENTITY, then deleted.")
    ],
    yes: YesOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Make two entities one: OTHER's spellings (its name among them), claim mentions and notes
    move to ENTITY, and OTHER is deleted, in one step that `factcheck log` shows. Asks first
    (`--yes` in scripts).

    Example: factcheck entity merge "Hassan Diab" "hassan diab" --yes
    """
    from factcheck.services.entities import merge_entities, merge_removal

    found = remove(
        ctx,
        lambda s: merge_removal(s, entity, other),
        lambda s: merge_entities(s, entity, other),
        yes,
    )
    _shown(found, json_)
