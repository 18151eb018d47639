from pathlib import Path

import pytest

from tests.helpers import REPO, SEEDS

SHARED = REPO.parent / "shared" / "seeds"


def test_the_five_founding_articles_ship_unchanged() -> None:
    ours = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert len(ours) == 5
    if not SHARED.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for name in ours:
        assert Path(SEEDS, name).read_bytes() == Path(SHARED, name).read_bytes(), name
