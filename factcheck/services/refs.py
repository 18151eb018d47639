"""Resolving what the user typed (an id, a key, a label) to stored rows, or a NotFound error."""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.db.store import Store
from factcheck.errors import NotFound
from factcheck.vocab import MAX_INT


@dataclass(frozen=True)
class SourceRef:
    id: int
    key: str
    author: str | None


@dataclass(frozen=True)
class LabelRef:
    id: int
    label: str
    scale_id: int


def as_id(ref: str) -> int | None:
    """The id a reference typed as digits names (ASCII digits, within the ids the database can
    hold); None when it is not one (a key or name, or a number no row can have)."""
    if ref.isascii() and ref.isdigit():
        number = int(ref)
        if number <= MAX_INT:
            return number
    return None


def find_source(store: Store, ref: str) -> SourceRef:
    """A source by id (digits) or key."""
    ref = ref.strip()
    source_id = as_id(ref)
    row = store.row(
        f"SELECT id, key, author FROM sources WHERE {'key' if source_id is None else 'id'} = :ref",
        {"ref": ref if source_id is None else source_id},
    )
    if row is None:
        raise NotFound(f"no source {ref!r}", hint="`factcheck source list` shows ids and keys")
    return SourceRef(*row)


def find_claim(store: Store, claim_id: int) -> int:
    """The claim's id, if there is such a claim."""
    if store.value("SELECT id FROM claims WHERE id = :id", {"id": claim_id}) is None:
        raise NotFound(f"no claim {claim_id}", hint="`factcheck claim list` shows claim ids")
    return claim_id


def find_tag(store: Store, name: str) -> int:
    """The id of a tag some claim carries: a filter on a tag nobody uses (a typing slip, most
    often) is an error, as one on an unknown source or entity is, not an empty result."""
    tag_id = store.value(
        "SELECT t.id FROM tags t WHERE t.name = :name "
        "AND EXISTS (SELECT 1 FROM claim_tags ct WHERE ct.tag_id = t.id)",
        {"name": name},
    )
    if tag_id is None:
        rows = store.rows(
            "SELECT t.name FROM tags t WHERE EXISTS "
            "(SELECT 1 FROM claim_tags ct WHERE ct.tag_id = t.id) ORDER BY t.name LIMIT 20"
        )
        names = ", ".join(tag for (tag,) in rows)
        raise NotFound(f"no claim has the tag {name!r}", hint=f"tags: {names}" if names else None)
    return int(tag_id)


def find_scale(store: Store, key: str) -> int:
    """The id of the rating scale with this key."""
    scale_id = store.value("SELECT id FROM rating_scales WHERE key = :key", {"key": key})
    if scale_id is None:
        keys = ", ".join(k for (k,) in store.rows("SELECT key FROM rating_scales ORDER BY key"))
        raise NotFound(f"no rating scale {key!r}", hint=f"scales: {keys}")
    return int(scale_id)


def scale_labels(store: Store, scale_id: int) -> list[LabelRef]:
    """A scale's labels, in their order."""
    rows = store.rows(
        "SELECT id, label, scale_id FROM rating_labels WHERE scale_id = :scale "
        "ORDER BY position, id",
        {"scale": scale_id},
    )
    return [LabelRef(*row) for row in rows]


def find_label(store: Store, label: str, scale_key: str = "default") -> LabelRef:
    labels = scale_labels(store, find_scale(store, scale_key))
    # Exact spelling first; then ignoring case, when that names exactly one label.
    found = next((lab for lab in labels if lab.label == label), None)
    if found is None:
        folded = [lab for lab in labels if lab.label.casefold() == label.casefold()]
        found = folded[0] if len(folded) == 1 else None
    if found is None:
        names = ", ".join(lab.label for lab in labels)
        raise NotFound(
            f"unknown verdict label {label!r} in scale {scale_key!r}",
            hint=f"labels: {names} (`factcheck verdict labels`)",
        )
    return found
