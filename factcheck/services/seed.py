"""The founding corpus that ships with factcheck (`factcheck seed`), loaded as a jsonl import."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from factcheck.resources import resource_dir
from factcheck.services.importer import ImportSummary, import_jsonl


def seed_file() -> Path:
    return resource_dir("seeds", "corpus.jsonl") / "corpus.jsonl"


def load_seed(session: Session) -> ImportSummary:
    """Load the bundled founding corpus (idempotent: a second load adds nothing)."""
    with seed_file().open("rb") as lines:
        return import_jsonl(session, lines)
