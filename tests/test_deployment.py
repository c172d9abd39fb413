import importlib.util
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from progress.checks import BUNDLE, plotly_bundle_matches_package

from .tooling import require_tool

ROOT = Path(__file__).resolve().parent.parent


def _vendor_script(name: str = "vendor_plotly"):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_docker_compose_file_is_valid() -> None:
    docker_compose = require_tool("docker-compose")
    result = subprocess.run(
        [docker_compose, "config", "-q"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_compose_runs_every_service_with_a_health_check() -> None:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    assert all("healthcheck" in service for service in services.values())
    assert "gunicorn" in services["web"]["command"]
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]


def test_the_vendored_plotly_bundle_is_the_version_the_python_package_writes_for() -> None:
    assert plotly_bundle_matches_package() == []


def test_a_plotly_bundle_of_another_version_stops_start_up(tmp_path) -> None:  # type: ignore[no-untyped-def]
    stale = tmp_path / "plotly-basic.min.js"
    stale.write_bytes(b"/**\n* plotly.js (basic - minified) v2.35.0\n*/")
    errors = plotly_bundle_matches_package(bundle=stale)
    assert [error.id for error in errors] == ["progress.E002"]
    assert "2.35.0" in errors[0].msg
    assert [e.id for e in plotly_bundle_matches_package(bundle=tmp_path / "gone.js")] == [
        "progress.E001"
    ]


# What the bundle may still name: XML namespaces, licence and documentation links, and
# plotly's logo link (hidden: displaylogo is off). None of them is loaded.
BUNDLE_NAMES_ONLY = {
    "http://getify.mit-license.org",
    "http://syntheti.cc",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/XML/1998/namespace",
    "https://github.com/d3/d3-format/tree/v1.4.5",
    "https://github.com/d3/d3-time-format/tree/v2.2.3",
    "https://github.com/voidqk/polybooljs",
    "https://plotly.com/",
    "https://plotly.com/javascript/animations/",
}


def test_the_vendored_plotly_bundle_points_nowhere_off_this_server() -> None:
    bundle = (ROOT / "static" / BUNDLE).read_text(encoding="utf-8")
    assert set(re.findall(r"https?://[\w./-]+", bundle)) == BUNDLE_NAMES_ONLY
    assert 'dflt:"/static/vendor/"' in bundle
    assert 'showSendToCloud:{valType:"boolean",dflt:!1}' in bundle


def test_vendoring_turns_the_off_server_defaults_local_or_refuses() -> None:
    vendor_plotly = _vendor_script()
    upstream = "".join(default for default, _ in vendor_plotly.DEFAULTS)
    assert (
        vendor_plotly.localised(f"a{upstream}b")
        == "a" + "".join(local for _, local in vendor_plotly.DEFAULTS) + "b"
    )
    with pytest.raises(ValueError, match="found it 0 times"):
        vendor_plotly.localised(upstream.replace("cdn.plot.ly", "cdn.example"))


@pytest.mark.django_db
def test_pages_with_charts_load_the_lean_plotly_bundle_from_this_server(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/indicators/BK-NLTT-CS/").content.decode()
    assert '/static/vendor/plotly-basic.min.js"' in page
    assert "cdn" not in page.lower()
    served = b"".join(client.get("/static/vendor/plotly-basic.min.js").streaming_content)
    assert served.startswith(b"/**\n* plotly.js (basic - minified) v")


def test_the_vendored_redoc_is_the_installed_sidecars_without_its_remote_logo() -> None:
    """/api/redoc/ loads our copy of the sidecar's Redoc, which leaves out the logo Redoc
    asks cdn.redoc.ly for: after a new sidecar is locked, run scripts/vendor_redoc.py."""
    vendor_redoc = _vendor_script("vendor_redoc")
    vendored = (ROOT / "static" / "vendor" / "redoc.standalone.js").read_bytes().decode("utf-8")
    assert vendored == vendor_redoc.localised(vendor_redoc.SIDECAR.read_bytes().decode("utf-8"))
    assert "cdn.redoc.ly" not in vendored
    with pytest.raises(ValueError, match="found it 0 times"):
        vendor_redoc.localised(vendored)


@pytest.mark.django_db
def test_redoc_loads_our_copy_of_its_bundle(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/api/redoc/").content.decode()
    assert '<script src="/static/vendor/redoc.standalone.js">' in page
    assert "https://" not in page
