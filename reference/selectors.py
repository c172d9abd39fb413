from pathlib import Path

from .services import DATA_DIR

SOURCES_DIR = DATA_DIR / "sources"


def source_text(*, name: str) -> str | None:
    """The stored text of a seed article, or None; only files of the sources folder are read."""
    path = (SOURCES_DIR / name).resolve()
    if path.parent != SOURCES_DIR.resolve() or path.suffix != ".txt" or not path.is_file():
        return None
    return Path(path).read_text(encoding="utf-8")
