"""A synthetic corpus of any size in factcheck's jsonl dump format, for the scale benchmarks.

Deterministic for a given seed, and streamed: a million claims never sit in memory. The shape
follows the founding corpus: one source per 200 claims (each with a text its quotes are cut
from, so every appearance is exactly anchored), one or two appearances per claim, a verdict on
most claims, tags from a small vocabulary, and `links` links of which the first `contradictions`
are `contradicts` (the rest `supports`), each between distinct claims and never repeated.

    python bench/synth.py --claims 100000 --contradictions 20000 --output /tmp/corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from typing import Any, TextIO

CLAIMS_PER_SOURCE = 200
CREATED = "2026-01-01T00:00:00+00:00"
LABELS = ("true", "mostly-true", "mixed", "misleading", "mostly-false", "false", "unverifiable")
TAGS = ("economy", "health", "security", "migration", "climate", "elections", "energy", "courts")
WORDS = [
    "minister",
    "parliament",
    "budget",
    "inflation",
    "vaccine",
    "border",
    "treaty",
    "strike",
    "drone",
    "refinery",
    "tariff",
    "election",
    "turnout",
    "ceasefire",
    "sanctions",
    "pipeline",
    "court",
    "ruling",
    "survey",
    "percent",
    "million",
    "billion",
    "province",
    "capital",
    "army",
    "militia",
    "embassy",
    "harbour",
    "wheat",
    "drought",
    "flood",
    "reactor",
    "grid",
    "subsidy",
    "Tehran",
    "Baghdad",
    "Kyiv",
    "Lagos",
    "Manila",
    "Quito",
    "Oslo",
    "Nairobi",
    "Dhaka",
    "Lima",
]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return f"Claim {n}: " + " ".join(words) + "."


def records(
    claims: int, links: int, contradictions: int, seed: int = 2026
) -> Iterator[dict[str, Any]]:
    """The dump's records in its order: header, sources, claims, appearances, verdicts, links."""
    if contradictions > links:
        raise ValueError("contradictions must not exceed links")
    rng = random.Random(seed)
    yield {"type": "factcheck", "format": "jsonl", "version": 1}
    texts = [_sentence(rng, n) for n in range(1, claims + 1)]
    sources = (claims + CLAIMS_PER_SOURCE - 1) // CLAIMS_PER_SOURCE
    bodies: list[str] = []
    for s in range(1, sources + 1):
        chunk = texts[(s - 1) * CLAIMS_PER_SOURCE : s * CLAIMS_PER_SOURCE]
        body = "\n\n".join(chunk)
        bodies.append(body)
        yield {
            "type": "source",
            "id": s,
            "key": f"synthetic-{s:06d}",
            "title": f"Synthetic article {s}",
            "outlet": "Synthetic Wire",
            "published": "2025-06",
            "text": body,
            "created_at": CREATED,
        }
    for n, text in enumerate(texts, start=1):
        yield {
            "type": "claim",
            "id": n,
            "text": text,
            "kind": "fact",
            "tags": sorted(rng.sample(TAGS, rng.randint(0, 2))),
            "created_at": CREATED,
        }
    appearance = 0
    for n, text in enumerate(texts, start=1):
        homes = [(n - 1) // CLAIMS_PER_SOURCE + 1]
        if sources > 1 and rng.random() < 0.2:
            homes.append(rng.randint(1, sources))
        for source in dict.fromkeys(homes):
            appearance += 1
            body = bodies[source - 1]
            start = body.find(text)
            record: dict[str, Any] = {
                "type": "appearance",
                "id": appearance,
                "claim_id": n,
                "source_id": source,
                "anchor_status": "none",
                "created_at": CREATED,
            }
            if start >= 0:
                end = start + len(text)
                record.update(
                    quote=text,
                    start=start,
                    end=end,
                    prefix=body[max(0, start - 32) : start],
                    suffix=body[end : end + 32],
                    anchor_status="exact",
                )
            yield record
    verdict = 0
    for n in range(1, claims + 1):
        if rng.random() < 0.8:
            verdict += 1
            yield {
                "type": "verdict",
                "id": verdict,
                "claim_id": n,
                "label": rng.choice(LABELS),
                "note": f"Checked against record {n}.",
                "evidence": [{"url": f"https://example.org/evidence/{n}"}],
                "created_at": CREATED,
            }
    seen: set[tuple[int, int]] = set()
    made = 0
    while made < links and claims > 1:
        a, b = rng.randint(1, claims), rng.randint(1, claims)
        pair = (min(a, b), max(a, b))
        if a == b or pair in seen:
            continue
        seen.add(pair)
        made += 1
        yield {
            "type": "link",
            "id": made,
            "claim_a": a,
            "claim_b": b,
            "relation": "contradicts" if made <= contradictions else "supports",
            "note": f"Synthetic link {made}.",
            "created_at": CREATED,
        }


def write(out: TextIO, claims: int, links: int, contradictions: int, seed: int = 2026) -> None:
    for record in records(claims, links, contradictions, seed):
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--contradictions", type=int, default=20_000)
    parser.add_argument("--links", type=int, help="all links (default: contradictions + 10%%)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", help="file to write (default: stdout)")
    args = parser.parse_args()
    links = args.links if args.links is not None else args.contradictions + args.claims // 10
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            write(out, args.claims, links, args.contradictions, args.seed)
    else:
        write(sys.stdout, args.claims, links, args.contradictions, args.seed)


if __name__ == "__main__":
    main()
