"""Property: any database, exported, imported into an empty database and exported again, gives
the same bytes, whatever the text (right-to-left scripts, combining marks, ZWNJ, emoji,
multi-line text, NULLs)."""

import contextlib
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from factcheck.db.database import Database
from factcheck.db.engine import resolve_url
from factcheck.db.store import Store
from factcheck.errors import FactcheckError
from factcheck.schemas import (
    AppearanceIn,
    ClaimIn,
    EntityIn,
    ExtractQuery,
    LinkIn,
    SourceIn,
    VerdictIn,
)
from factcheck.services.claims import add_claim
from factcheck.services.entities import add_entity
from factcheck.services.export import export_jsonl
from factcheck.services.extraction import accept, extract, skip
from factcheck.services.importer import import_jsonl
from factcheck.services.links import add_link
from factcheck.services.sources import add_source
from factcheck.services.verdicts import set_verdict
from factcheck.vocab import CLAIM_KINDS, RELATIONS

# Slow: a hypothesis battery of whole databases.
pytestmark = pytest.mark.slow

SPECIAL = [
    "سلیمانی",
    "קאסם",
    "e\u0301",
    "\u200c",
    "\u200d",
    "😀👩🏽‍🔬",
    "\n",
    "\r\n",
    "\t",
    "\u201c\u2019\u2014",
    " ",
]
characters = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
words = st.lists(st.one_of(st.text(characters, max_size=8), st.sampled_from(SPECIAL)), max_size=6)
text = words.map("".join)
nonblank = text.filter(lambda t: t.strip() != "")
maybe = st.one_of(st.none(), nonblank)


def _database(folder: str, name: str, migrated: Path) -> Database:
    """A new database at the head revision (a copy of `migrated`: dozens of examples would
    otherwise spend most of their time migrating)."""
    path = Path(folder) / name
    shutil.copyfile(migrated, path)
    database = Database(resolve_url(str(path)), "property")
    database.ensure_schema()
    return database


def _export(database: Database) -> str:
    with database.read() as session:
        return "".join(export_jsonl(session))


# Shrinking is capped: a failure here is read from its first example, not minimised for minutes.
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target],
)
@given(data=st.data())
def test_export_import_export_is_byte_identical(
    migrated_template: Path, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first = _database(folder, "first.db", migrated_template)
        with first.write() as session:
            sources = data.draw(st.integers(1, 3))
            for n in range(sources):
                body = data.draw(st.one_of(st.none(), nonblank))
                fields = {"notes": data.draw(maybe), "author": data.draw(maybe)}
                source = SourceIn(title=data.draw(nonblank), key=f"s{n}", text=body, **fields)
                add_source(Store.of(session), source)
            entities = [data.draw(nonblank) for _ in range(data.draw(st.integers(0, 2)))]
            for name in dict.fromkeys(entities):
                with contextlib.suppress(FactcheckError):
                    add_entity(
                        Store.of(session), EntityIn(name=name, aliases=[data.draw(nonblank)])
                    )
            claims = []
            for _ in range(data.draw(st.integers(1, 4))):
                source = f"s{data.draw(st.integers(0, sources - 1))}"
                created = add_claim(Store.of(session), ClaimIn(
                    text=data.draw(nonblank), kind=data.draw(st.sampled_from(CLAIM_KINDS)),
                    notes=data.draw(maybe), tags=data.draw(st.lists(nonblank, max_size=2)),
                    appearance=AppearanceIn(source=source, quote=data.draw(maybe),
                                            claimant=data.draw(maybe), unanchored=True),
                ))  # fmt: skip
                claims.append(created.id)
            for claim_id in claims:
                for _ in range(data.draw(st.integers(0, 2))):
                    set_verdict(Store.of(session), VerdictIn(
                        claim_id=claim_id, note=data.draw(maybe), evidence=["s0"],
                        label=data.draw(st.sampled_from(["true", "false", "unverifiable"])),
                    ))  # fmt: skip
            if len(claims) > 1:
                with contextlib.suppress(FactcheckError):
                    add_link(Store.of(session), LinkIn(claim_a=claims[0], claim_b=claims[1],
                                             relation=data.draw(st.sampled_from(RELATIONS)),
                                             note=data.draw(maybe)))  # fmt: skip
            # Decisions of an extraction review: the first proposal skipped, the second accepted.
            for n in range(sources):
                with contextlib.suppress(FactcheckError):
                    found = extract(Store.of(session), ExtractQuery(source=f"s{n}", limit=2))
                    for proposal, decision in zip(found.proposals, ("s", "a"), strict=False):
                        if decision == "s":
                            skip(Store.of(session), found.source_id, proposal)
                        else:
                            accept(Store.of(session), f"s{n}", proposal, data.draw(maybe))
        exported = _export(first)
        second = _database(folder, "second.db", migrated_template)
        with second.write() as session:
            import_jsonl(session, exported.encode("utf-8").splitlines(keepends=True))
        assert _export(second) == exported
        first.close()
        second.close()
