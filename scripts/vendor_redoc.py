"""Vendor Redoc's bundle from the installed drf-spectacular-sidecar, without its remote logo.

    python scripts/vendor_redoc.py   # after a new drf-spectacular-sidecar is locked

Redoc draws "API docs by Redocly" under its menu with an image from cdn.redoc.ly, and no
option turns it off: the content security policy refused it, and the browser logged the
refusal on /api/redoc/. This writes static/vendor/redoc.standalone.js, the sidecar's bundle
with that image left out (the link's text stays) and without its source-map comment (the map
is not vendored, and the hashed static files would look for it), beside its licence file.
It refuses a bundle in which the image is not found exactly once (a new Redoc may have moved
it: look before vendoring); a test fails while the copy and the installed sidecar differ.
"""

import shutil
from pathlib import Path

import drf_spectacular_sidecar

SIDECAR = (
    Path(drf_spectacular_sidecar.__file__).parent
    / "static"
    / "drf_spectacular_sidecar"
    / "redoc"
    / "bundles"
    / "redoc.standalone.js"
)
TARGET = Path(__file__).resolve().parent.parent / "static" / "vendor" / "redoc.standalone.js"

LOGO = (
    'n.createElement("img",{alt:"redocly logo",onError:()=>t(!1),'
    'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"})'
)
SOURCE_MAP = "\n//# sourceMappingURL=redoc.standalone.js.map"


def localised(bundle: str) -> str:
    for upstream in (LOGO, SOURCE_MAP):
        found = bundle.count(upstream)
        if found != 1:
            raise ValueError(f"expected {upstream!r} once in the bundle, found it {found} times")
    return bundle.replace(LOGO, "null").replace(SOURCE_MAP, "")


def main() -> None:
    # Bytes in and out: the bundle is written back exactly, but for the logo and the map.
    TARGET.write_bytes(localised(SIDECAR.read_bytes().decode("utf-8")).encode("utf-8"))
    licence = SIDECAR.with_name(SIDECAR.name + ".LICENSE.txt")
    shutil.copyfile(licence, TARGET.with_name(licence.name))
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
