"""Vendor plotly.js's basic bundle with its off-server defaults turned local.

    npm pack plotly.js-basic-dist-min@<version>   # on a machine with internet
    python scripts/vendor_plotly.py package/plotly-basic.min.js

The server is offline, and npm's bundle points off it by default: map outlines from
plotly's CDN, and a "send to Chart Studio" button posting the figure to plotly's cloud.
This writes static/vendor/plotly-basic.min.js with those defaults replaced, and refuses
a bundle in which any of them is not found exactly once (a new plotly.js may have moved
them: look before vendoring).
"""

import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "static" / "vendor" / "plotly-basic.min.js"

# (plotly.js's default, ours): outlines beside the bundle (our charts draw none), no cloud.
DEFAULTS = [
    (
        'topojsonURL:{valType:"string",noBlank:!0,dflt:"https://cdn.plot.ly/un/"}',
        'topojsonURL:{valType:"string",noBlank:!0,dflt:"/static/vendor/"}',
    ),
    (
        'plotlyServerURL:{valType:"string",dflt:"https://cloud.plotly.com/newchart"}',
        'plotlyServerURL:{valType:"string",dflt:""}',
    ),
    (
        'showSendToCloud:{valType:"boolean",dflt:!0}',
        'showSendToCloud:{valType:"boolean",dflt:!1}',
    ),
]


def localised(bundle: str) -> str:
    for upstream, local in DEFAULTS:
        found = bundle.count(upstream)
        if found != 1:
            raise ValueError(f"expected {upstream!r} once in the bundle, found it {found} times")
        bundle = bundle.replace(upstream, local)
    return bundle


def main(source: str) -> None:
    # Bytes in and out: the bundle is written back exactly, but for the defaults.
    bundle = Path(source).read_bytes().decode("utf-8")
    TARGET.write_bytes(localised(bundle).encode("utf-8"))
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
