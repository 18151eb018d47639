"""Importing the flat CSV a researcher fills in a spreadsheet: each row goes through the same
claim, appearance and verdict services as the commands (see factcheck.interchange.flatcsv).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import ValidationError
from sqlalchemy.orm import Session

from factcheck.db.store import Store
from factcheck.errors import Conflict, FactcheckError, InvalidInput, SetAside
from factcheck.interchange.flatcsv import read_rows
from factcheck.schemas import AppearanceIn, ClaimEdit, ClaimIn, VerdictIn, first_error
from factcheck.services.claims import add_claim, cite_claim, edit_claim
from factcheck.services.importer import ImportSummary
from factcheck.services.verdicts import set_verdict


def import_csv(
    session: Session, lines: Iterable[str], set_aside: SetAside | None = None
) -> ImportSummary:
    """Flat CSV rows (see factcheck.interchange.flatcsv): each adds a claim, or an appearance
    of the claim with the same wording, and its verdict when that differs from the current one.
    With `set_aside`, a row that fails is undone (a savepoint each) and given to it."""
    rows = list(read_rows(lines, set_aside))
    store = Store.of(session)
    added: Counter[str] = Counter()
    existing: Counter[str] = Counter()
    known: dict[str, int] = {}
    for number, row in rows:
        if set_aside is not None:
            store.run("SAVEPOINT csv_row")
            before = added.copy(), existing.copy()
        try:
            claim_id = known.get(row.claim) or store.value(
                "SELECT min(id) FROM claims WHERE text = :text", {"text": row.claim}
            )
            appearance = AppearanceIn(
                source=row.source, quote=row.quote, claimant=row.claimant, stance=row.stance
            )
            if claim_id is None:
                claim = ClaimIn(text=row.claim, kind=row.kind, tags=row.tags, appearance=appearance)
                claim_id = add_claim(store, claim).id
                added.update(["claim", "appearance"])
            else:
                existing["claim"] += 1
                try:
                    cite_claim(store, claim_id, appearance)
                    added["appearance"] += 1
                except Conflict:
                    existing["appearance"] += 1
                if row.tags:
                    edit_claim(store, claim_id, ClaimEdit(add_tags=row.tags))
            if row.verdict is not None:
                current = store.row(
                    "SELECT l.label, v.note FROM verdicts v JOIN rating_labels l "
                    "ON l.id = v.label_id WHERE v.claim_id = :claim ORDER BY v.id DESC LIMIT 1",
                    {"claim": claim_id},
                )
                if current is not None and tuple(current) == (row.verdict, row.verdict_note):
                    existing["verdict"] += 1
                else:
                    verdict = VerdictIn(claim_id=claim_id, label=row.verdict,
                                        note=row.verdict_note, evidence=row.evidence)  # fmt: skip
                    set_verdict(store, verdict)
                    added["verdict"] += 1
            known[row.claim] = claim_id
        except (ValidationError, FactcheckError) as exc:
            error = (
                InvalidInput(f"row {number}: {first_error(exc)}", row=number)
                if isinstance(exc, ValidationError)
                else type(exc)(f"row {number}: {exc.message}", exc.hint, row=number)
            )
            if set_aside is None:
                raise error from exc
            store.run("ROLLBACK TO SAVEPOINT csv_row")
            store.run("RELEASE SAVEPOINT csv_row")
            added, existing = before
            set_aside(error)
            continue
        if set_aside is not None:
            store.run("RELEASE SAVEPOINT csv_row")
    kinds = ("claim", "appearance", "verdict")
    return ImportSummary(
        added={k: added[k] for k in kinds}, existing={k: existing[k] for k in kinds}
    )
