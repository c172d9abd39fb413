"""plotly.js from the installed plotly package, as the static file ``vendor/plotly.min.js``.

The server is offline, so no CDN; and a copy in static/ would drift from the Python
package that writes the figures. A finder serves the package's own file: WhiteNoise finds
it through the finders in development (WHITENOISE_USE_FINDERS), and collectstatic copies it
for production, where the manifest storage gives it a hashed name and a year-long cache.
"""

from pathlib import Path
from typing import Any

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

PLOTLY_JS = "vendor/plotly.min.js"
_PACKAGE_DATA = Path(plotly.__file__).resolve().parent / "package_data"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(_PACKAGE_DATA))
        # collectstatic and WhiteNoise put a storage's files under its prefix.
        self.storage.prefix = "vendor"  # type: ignore[attr-defined]

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        if not (_PACKAGE_DATA / "plotly.min.js").is_file():
            return [Error(f"plotly.min.js is missing from {_PACKAGE_DATA}", id="sxtd.E001")]
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:
        if path != PLOTLY_JS:
            return [] if find_all or kwargs.get("all") else ""
        found = str(_PACKAGE_DATA / "plotly.min.js")
        return [found] if find_all or kwargs.get("all") else found

    def list(self, ignore_patterns: Any) -> Any:
        yield "plotly.min.js", self.storage
