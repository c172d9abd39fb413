import subprocess
from pathlib import Path

import yaml

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
