import importlib.util
import os
import re
import runpy
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from progress.checks import BUNDLE, plotly_bundle_matches_package

from .tooling import require_tool

ROOT = Path(__file__).resolve().parent.parent


def _vendor_script(name: str = "vendor_plotly"):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


# What docker-compose.yml requires; the README has them written into .env.
REQUIRED = {"SECRET_KEY": "k" * 50, "POSTGRES_PASSWORD": "p", "ALLOWED_HOSTS": "sxtd.example"}
APP_SERVICES = {"migrate", "web", "worker", "beat"}


def _compose_config(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`docker-compose config -q` with only ``env``: an empty env file stands in for a .env
    that may sit in the checkout."""
    docker_compose = require_tool("docker-compose")
    empty = tmp_path / "empty.env"
    empty.write_text("")
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    return subprocess.run(
        [docker_compose, "--env-file", str(empty), "config", "-q"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _services() -> dict[str, dict]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_docker_compose_file_is_valid(tmp_path: Path) -> None:
    result = _compose_config(tmp_path, **REQUIRED)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_compose_stops_naming_a_required_variable_left_unset(tmp_path: Path, name: str) -> None:
    """No default secret, database password or host: a server started without them would
    run with values anyone can read here."""
    result = _compose_config(tmp_path, **{k: v for k, v in REQUIRED.items() if k != name})
    assert result.returncode != 0
    assert f"set {name} in .env" in result.stderr


def test_compose_runs_every_long_running_service_with_a_health_check() -> None:
    services = _services()
    assert set(services) == APP_SERVICES | {"db", "redis"}
    for name, service in services.items():
        check = service["healthcheck"]
        assert check == {"disable": True} if name == "migrate" else "test" in check, name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "gunicorn --config deploy/gunicorn.conf.py" in services["web"]["command"]
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]


def test_the_app_starts_once_a_single_migration_has_succeeded() -> None:
    services = _services()
    migrate = services["migrate"]
    assert migrate["command"] == "python manage.py migrate --no-input"
    # A one-shot: restarted "unless stopped", it would migrate again after every exit.
    assert migrate["restart"] == "no"
    for name in APP_SERVICES - {"migrate"}:
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }, name
        assert "migrate" not in services[name]["command"], name


def test_gunicorn_is_published_to_this_machine_only() -> None:
    """Browsers come through the TLS proxy: over plain HTTP the secure cookies keep everyone
    out, and the settings believe X-Forwarded-Proto and X-Forwarded-For from whoever reaches
    the port."""
    services = _services()
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    assert all("ports" not in services[name] for name in set(services) - {"web"})
    assert "proxy_pass http://127.0.0.1:8000;" in (ROOT / "deploy" / "nginx.conf").read_text()


def test_every_container_rotates_its_log() -> None:
    for name, service in _services().items():
        assert service["logging"]["driver"] == "json-file", name
        assert set(service["logging"]["options"]) == {"max-size", "max-file"}, name


def test_beat_keeps_its_schedule_in_a_volume() -> None:
    beat = _services()["beat"]
    assert "--schedule /data/beat/celerybeat-schedule" in beat["command"]
    assert beat["volumes"] == ["beat:/data/beat"]
    assert "/data/beat" in " ".join(beat["healthcheck"]["test"])


def _settings_read() -> set[str]:
    """Every variable the settings modules read."""
    source = "\n".join(path.read_text() for path in (ROOT / "sxtd" / "settings").glob("*.py"))
    return set(re.findall(r'(?:env_\w+|redis_url)\(\s*"([A-Z0-9_]+)"', source))


def test_every_setting_read_is_documented_and_passed_through_by_compose() -> None:
    app = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["x-app"]
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Settings") : readme.index("## At scale")]
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)`|, `([A-Z0-9_]+)` \|", table, re.M))
    documented_names = {name for pair in documented for name in pair if name}
    assert _settings_read() <= documented_names
    assert _settings_read() <= set(app["environment"])


def test_production_takes_the_empty_values_compose_passes_for_the_defaults() -> None:
    """A variable left out of .env reaches the container as an empty string."""
    environment = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["x-app"]["environment"]

    def interpolated(match: re.Match[str]) -> str:
        name, kind, rest = match.groups()
        return REQUIRED[name] if kind == "?" else rest

    passed = {
        name: re.sub(r"\$\{(\w+):([?-])([^}]*)\}", interpolated, value)
        for name, value in environment.items()
    }
    assert sum(value == "" for value in passed.values()) > 10
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, **passed},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_image_runs_as_sxtd_writing_only_in_its_volumes() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    user = dockerfile.index("USER sxtd")
    # Docker fills a new named volume from the image's folder, owner included.
    folders = dockerfile.index("mkdir -p /data/media /data/beat")
    owner = dockerfile.index("chown sxtd /data/media /data/beat")
    assert folders < owner < user
    assert "chown -R" not in dockerfile  # the code stays root's
    assert '"--config", "deploy/gunicorn.conf.py"' in dockerfile


def test_the_image_leaves_out_secrets_local_data_and_test_code() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env*", ".venv", ".git", "db.sqlite3", "media", "tests", "bench", ".ci"} <= ignored
    assert ".env*" in (ROOT / ".gitignore").read_text().split()


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text()
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M))


def test_the_image_installs_the_versions_the_tests_ran_against() -> None:
    """The image installs base.lock, the tests dev.lock: a package both pin at different
    versions (PyYAML was 6.0.4 in one, 6.0.3 in the other) reaches production untested."""
    base, dev = _pins("base.lock"), _pins("dev.lock")
    assert base.keys() <= dev.keys()
    assert {name: (base[name], dev[name]) for name in base if base[name] != dev[name]} == {}


def test_gunicorn_gives_long_exports_time_and_threads() -> None:
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert (config["worker_class"], config["timeout"], config["graceful_timeout"]) == (
        "gthread",
        300,
        30,
    )
    assert config["threads"] > 1
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert f"proxy_read_timeout {config['timeout']}s;" in nginx
    # Docker stops a container 10 s after asking unless told otherwise.
    grace = _services()["web"]["stop_grace_period"]
    assert int(grace.removesuffix("s")) > config["graceful_timeout"]


def test_the_proxy_example_sets_what_the_settings_believe_and_takes_the_largest_upload() -> None:
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    assert "proxy_set_header Host $host;" in nginx
    body = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1))  # type: ignore[union-attr]
    assert body >= 10 * max(settings.EVIDENCE_MAX_BYTES, settings.IMPORT_MAX_BYTES) // 2**20


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


def test_the_nightly_backup_is_readable_by_root_only(tmp_path: Path) -> None:
    """The evidence archive was written inside the container with its umask (0644), into a
    folder that may already be open to every user, while the README says "readable by root
    only". A stand-in docker-compose writes what the real one would, as a container does."""
    fake = tmp_path / "bin" / "docker-compose"
    fake.parent.mkdir()
    # It runs the container's command here, the volumes swapped for folders of the test.
    fake.write_text(
        f"#!{sys.executable}\n"
        "import os, re, subprocess, sys\n"
        "os.umask(0o022)\n"
        "if sys.argv[1] == 'exec':\n"
        "    print('dump')\n"
        "    sys.exit()\n"
        "folder = re.search(r'-v (\\S+):/backup', ' '.join(sys.argv))[1]\n"
        "command = sys.argv[sys.argv.index('web') + 1 :]\n"
        "command = [a.replace('/backup', folder) for a in command]\n"
        "command = [a.replace('/data/media', os.environ['MEDIA']) for a in command]\n"
        "subprocess.run(command, check=True)\n"
    )
    fake.chmod(0o755)
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o755)
    media = tmp_path / "media"
    media.mkdir()
    (media / "bien-ban.pdf").write_text("evidence")
    env = {**os.environ, "PATH": f"{fake.parent}:{os.environ['PATH']}", "MEDIA": str(media)}
    subprocess.run(["bash", str(ROOT / "deploy" / "backup.sh"), str(backups)], env=env, check=True)
    written = sorted(path.name for path in backups.iterdir())
    assert [name.split("-")[0] for name in written] == ["media", "sxtd"]
    with tarfile.open(backups / written[0]) as archive:
        assert "./bien-ban.pdf" in archive.getnames()
    assert backups.stat().st_mode & 0o777 == 0o700
    assert all(path.stat().st_mode & 0o077 == 0 for path in backups.iterdir())
