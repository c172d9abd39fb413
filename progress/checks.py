"""The browser draws figures that the Python plotly package writes: both must be one version.

The pages load plotly.js's basic bundle (scatter and bar: every chart we draw), 1,2 MB
instead of the full 4,8 MB bundle the Python package ships. It is vendored from npm's
``plotly.js-basic-dist-min`` at the version of plotly.js inside the pinned Python package;
this check stops start-up when a new pin leaves the two apart (README, "Dashboards").
"""

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from plotly.offline import get_plotlyjs_version

BUNDLE = "vendor/plotly-basic.min.js"
_VERSION = re.compile(rb"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)")


def bundle_version(path: Path) -> str | None:
    with path.open("rb") as handle:
        found = _VERSION.search(handle.read(512))
    return found.group(1).decode() if found else None


def plotly_bundle_matches_package(
    app_configs: Any = None, bundle: Path | None = None, **kwargs: Any
) -> list[CheckMessage]:
    path = bundle or Path(settings.BASE_DIR) / "static" / BUNDLE
    wanted = get_plotlyjs_version()
    if not path.is_file():
        return [Error(f"{path} is missing", hint=_hint(wanted), id="progress.E001")]
    found = bundle_version(path)
    if found != wanted:
        return [
            Error(
                f"{path} is plotly.js {found}, the plotly package writes figures for {wanted}",
                hint=_hint(wanted),
                id="progress.E002",
            )
        ]
    return []


def _hint(version: str) -> str:
    return (
        f"npm pack plotly.js-basic-dist-min@{version}, then "
        f"python scripts/vendor_plotly.py package/plotly-basic.min.js"
    )
