import subprocess
from pathlib import Path

import pytest
import yaml

from progress.checks import plotly_bundle_matches_package

from .tooling import require_tool

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.mark.django_db
def test_pages_with_charts_load_the_lean_plotly_bundle_from_this_server(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/indicators/BK-NLTT-CS/").content.decode()
    assert '/static/vendor/plotly-basic.min.js"' in page
    assert "cdn" not in page.lower()
    served = b"".join(client.get("/static/vendor/plotly-basic.min.js").streaming_content)
    assert served.startswith(b"/**\n* plotly.js (basic - minified) v")
