"""Folders that live at the top of the repository and ship inside the wheel under factcheck/."""

from pathlib import Path

from factcheck.errors import FactcheckError

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str, marker: str) -> Path:
    """`factcheck/NAME` in an installed wheel, else the repository's top-level `NAME/`.

    `marker` is a file that must be inside, so a stray folder of the same name is not taken.
    """
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if (candidate / marker).is_file():
            return candidate
    raise FactcheckError(f"the {name} folder is missing from this installation of factcheck")
