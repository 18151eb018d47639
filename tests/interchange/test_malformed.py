"""Hypothesis battery: mangled files of every format get a clear error (a FactcheckError, never
another exception) and leave the database unchanged; harmless mangling imports cleanly."""

import io
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from factcheck.db.database import Database
from factcheck.db.engine import resolve_url
from factcheck.errors import FactcheckError
from factcheck.services.file_import import import_stream
from tests.helpers import SEEDS

# Slow: a hypothesis battery of imports.
pytestmark = [pytest.mark.slow, pytest.mark.hostile]

CORPUS = (SEEDS / "corpus.jsonl").read_bytes()
SAMPLE_JSONL = b"\n".join(CORPUS.splitlines()[:12] + CORPUS.splitlines()[-40:]) + b"\n"
SAMPLE_CSV = (
    b"claim,source,quote,kind,tags,verdict,verdict_note\n"
    b'"A claim",000-analysis,"3000 extra troops",fact,a;b,true,"note"\n'
    b'"Another",001-khan,,opinion,,,\n'
)
SAMPLE_LIAR = (
    b"1.json\tfalse\tSays a thing.\teconomy\tjane-doe\tMayor\tOhio\tdemocrat\t0\t1\t0\t0\t0\t"
    b"a speech\n"
    b"2.json\ttrue\tSays another.\thealth\tjohn-roe\t\t\tnone\t0\t0\t0\t0\t0\t\n"
)
SAMPLE_AVERITEC = (
    b'[{"claim": "A claim", "label": "Refuted", "claim_date": "31-10-2020", "speaker": "X",'
    b' "reporting_source": "Facebook", "questions": [{"question": "Q?", "answers":'
    b' [{"answer": "A.", "source_url": "https://example.org"}]}]}]'
)
SAMPLE_CLAIMREVIEW = (
    b'{"@type": "DataFeed", "dataFeedElement": [{"@type": "ClaimReview", "claimReviewed": "C",'
    b' "url": "https://fc.example/1", "datePublished": "2021-03-04", "reviewRating":'
    b' {"ratingValue": "1", "bestRating": "5", "worstRating": "1", "alternateName": "False"},'
    b' "itemReviewed": {"appearance": ["https://a.example", {"url": "https://b.example"}]}}]}'
)
SAMPLES = {"jsonl": SAMPLE_JSONL, "csv": SAMPLE_CSV, "liar": SAMPLE_LIAR,
           "averitec": SAMPLE_AVERITEC, "claimreview": SAMPLE_CLAIMREVIEW}  # fmt: skip

NASTY = [b"\xff", b"\xef\xbb\xbf", b"\r\n", b"\x00", b'"', b",", b"\t", b"{", b"}", b"[", b"]",
         b'"type":"spaceship"', b"NaN", b"\\ud800", b'"id":1,"id":2', b"[" * 2000, b"x" * 70000,
         b"\n", b"null", b"-1", b'""']  # fmt: skip


@st.composite
def mangled(draw: st.DrawFn) -> tuple[str, bytes]:
    fmt = draw(st.sampled_from(sorted(SAMPLES)))
    data = bytearray(SAMPLES[fmt])
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "truncate", "duplicate-line"]))
        if action == "insert":
            data[position:position] = draw(st.sampled_from(NASTY))
        elif action == "delete":
            del data[position : position + draw(st.integers(1, 40))]
        elif action == "truncate":
            del data[position:]
        else:
            lines = bytes(data).splitlines(keepends=True)
            if lines:
                index = draw(st.integers(0, len(lines) - 1))
                lines.insert(index, lines[index])
                data = bytearray(b"".join(lines))
    return fmt, bytes(data)


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target])  # fmt: skip
@given(case=mangled())
def test_mangled_files_fail_cleanly_or_import(
    seeded_template: Path, case: tuple[str, bytes]
) -> None:
    """On a copy of the seed corpus (the sources the CSV rows refer to)."""
    fmt, data = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "target.db"
        shutil.copyfile(seeded_template, path)
        database = Database(resolve_url(str(path)), "battery")
        before = _dump(path)
        try:
            with database.write() as session:
                import_stream(session, io.BufferedReader(io.BytesIO(data)), f"x.{fmt}", fmt)
        except FactcheckError as exc:
            assert exc.message and "\n" not in exc.message
            assert _dump(path) == before
        finally:
            database.close()
