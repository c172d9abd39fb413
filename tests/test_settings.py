"""Start-up stops with a message naming the variable when the environment is wrong."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sxtd.settings.env import SmtpServer, database_from_url, env_bool, site_url, smtp_url

ROOT = Path(__file__).resolve().parent.parent


def _start(settings: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SITE_URL", "EMAIL_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": settings, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("settings", "env", "named"),
    [
        ("sxtd.settings.development", {"DATABASE_URL": "postgresql://localhost"}, "DATABASE_URL"),
        ("sxtd.settings.development", {"DATABASE_URL": "mysql://db/sxtd"}, "DATABASE_URL"),
        ("sxtd.settings.development", {"DEBUG": "maybe"}, "DEBUG"),
        ("sxtd.settings.development", {"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ("sxtd.settings.development", {"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ("sxtd.settings.development", {"PROGRESS_AT_RISK_RATIO": "0.99"}, "PROGRESS_AT_RISK_RATIO"),
        ("sxtd.settings.development", {"EVIDENCE_MAX_MB": "-1"}, "EVIDENCE_MAX_MB"),
        ("sxtd.settings.development", {"API_PAGE_SIZE": "0"}, "API_PAGE_SIZE"),
        ("sxtd.settings.development", {"LOGIN_FAILURE_LIMIT": "0"}, "LOGIN_FAILURE_LIMIT"),
        ("sxtd.settings.development", {"EMAIL_URL": "mail.example:25"}, "EMAIL_URL"),
        ("sxtd.settings.development", {"EMAIL_URL": "smtp://mail:port"}, "EMAIL_URL"),
        ("sxtd.settings.development", {"SITE_URL": "sxtd.example"}, "SITE_URL"),
        ("sxtd.settings.development", {"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT"),
        (
            "sxtd.settings.development",
            {"CELERY_TASK_SOFT_TIME_LIMIT": "900", "CELERY_TASK_TIME_LIMIT": "600"},
            "CELERY_TASK_SOFT_TIME_LIMIT",
        ),
        ("sxtd.settings.production", {"ALLOWED_HOSTS": "sxtd.example"}, "SECRET_KEY"),
        ("sxtd.settings.production", {"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS"),
    ],
)
def test_bad_environment_stops_start_up_naming_the_variable(
    settings: str, env: dict[str, str], named: str
) -> None:
    result = _start(settings, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.splitlines()[-1]


def test_production_starts_with_its_required_variables() -> None:
    result = _start("sxtd.settings.production", SECRET_KEY="k" * 50, ALLOWED_HOSTS="sxtd.example")
    assert result.returncode == 0, result.stderr


def test_production_is_safe_when_only_the_required_variables_are_set() -> None:
    """No DEBUG page with settings and tracebacks, and cookies only over HTTPS, unless the
    environment says otherwise."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_COOKIES"}}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
        ],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "sxtd.settings.production",
            "SECRET_KEY": "k" * 50,
            "ALLOWED_HOSTS": "sxtd.example",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]


def test_a_celery_worker_started_without_settings_is_a_production_one() -> None:
    """Workers and beat run on the servers, as the web process does: started without
    DJANGO_SETTINGS_MODULE they must not fall back to DEBUG and the development key."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from sxtd.celery import app; from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr.splitlines()[-1]


PRODUCTION = {"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "sxtd.moit.gov.vn"}
MAIL_SERVER = "smtp+tls://sxtd:Hunter2-secret@mail.moit.gov.vn:587"


@pytest.mark.parametrize("site", [None, ""], ids=["unset", "empty as compose passes it"])
def test_production_sending_real_mails_refuses_to_start_without_the_site_url(
    site: str | None,
) -> None:
    """The mails would go out with links to http://127.0.0.1:8000, the development default."""
    env = {**PRODUCTION, "EMAIL_URL": MAIL_SERVER}
    if site is not None:
        env["SITE_URL"] = site
    result = _start("sxtd.settings.production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SITE_URL must be set" in result.stderr.splitlines()[-1]
    assert "EMAIL_URL" in result.stderr.splitlines()[-1]


def test_production_sends_real_mails_once_the_site_url_is_set() -> None:
    result = _start(
        "sxtd.settings.production",
        **PRODUCTION,
        EMAIL_URL=MAIL_SERVER,
        SITE_URL="https://sxtd.moit.gov.vn",
    )
    assert result.returncode == 0, result.stderr


def test_a_site_url_without_its_scheme_is_refused_saying_it_needs_one() -> None:
    result = _start(
        "sxtd.settings.production",
        **PRODUCTION,
        EMAIL_URL=MAIL_SERVER,
        SITE_URL="sxtd.moit.gov.vn",
    )
    assert result.returncode != 0
    last = result.stderr.splitlines()[-1]
    assert "SITE_URL='sxtd.moit.gov.vn' is not an absolute http(s) address" in last
    assert "https://" in last


@pytest.mark.parametrize(
    ("name", "url", "shown"),
    [
        # "smtps" is refused (tools disagree on what it means).
        (
            "EMAIL_URL",
            "smtps://sxtd:Hunter2-secret@mail.moit.gov.vn",
            "'smtps://sxtd:***@mail.moit.gov.vn'",
        ),
        (
            "EMAIL_URL",
            "smtp+tls://sxtd:Hunter2-secret@mail.moit.gov.vn:58y",
            "'smtp+tls://sxtd:***@mail.moit.gov.vn:58y'",
        ),
        (
            "DATABASE_URL",
            "postgres://sxtd:Hunter2-secret@db:54e2/sxtd",
            "'postgres://sxtd:***@db:54e2/sxtd'",
        ),
        ("DATABASE_URL", "postgresql://sxtd:Hunter2-secret@db", "'postgresql://sxtd:***@db'"),
        ("DATABASE_URL", "mysql://sxtd:Hunter2-secret@db/sxtd", "'mysql://sxtd:***@db/sxtd'"),
        # An unescaped "/" makes urlsplit take "Hunter2" for the port and the rest for a path.
        (
            "DATABASE_URL",
            "postgresql://sxtd:Hunter2/secret@db:5432/sxtd",
            "'postgresql://sxtd:***@db:5432/sxtd'",
        ),
        (
            "REDIS_URL",
            "redis//:Hunter2-secret@redis:6379/0",
            "'redis//:***@redis:6379/0'",
        ),
    ],
)
def test_a_bad_url_is_repeated_in_the_log_without_its_password(
    name: str, url: str, shown: str
) -> None:
    """Every container of the compose file logs the message at start-up: it shows the
    operator the URL as written, with the password masked."""
    result = _start("sxtd.settings.production", **PRODUCTION, **{name: url})
    assert result.returncode != 0
    assert "Hunter2" not in result.stderr + result.stdout
    assert f"ImproperlyConfigured: {name}={shown}" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize(
    ("raw", "value"), [("true", True), ("0", False), ("Yes", True), ("off", False)]
)
def test_booleans_accept_the_usual_spellings(monkeypatch, raw: str, value: bool) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", default=not value) is value


def test_database_url_reads_postgresql_and_sqlite() -> None:
    postgres = database_from_url("DATABASE_URL", "postgresql://u:p%40ss@db:5433/sxtd", ROOT)
    assert (postgres["ENGINE"], postgres["NAME"], postgres["USER"], postgres["PASSWORD"]) == (
        "django.db.backends.postgresql",
        "sxtd",
        "u",
        "p@ss",
    )
    assert (postgres["HOST"], postgres["PORT"]) == ("db", "5433")
    sqlite = database_from_url("DATABASE_URL", "sqlite:///data/sxtd.sqlite3", ROOT)
    assert sqlite["NAME"] == str(ROOT / "data/sxtd.sqlite3")
    absolute = database_from_url("DATABASE_URL", "sqlite:////var/lib/sxtd/db.sqlite3", ROOT)
    assert absolute["NAME"] == "/var/lib/sxtd/db.sqlite3"


def test_database_url_with_a_bad_port_names_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url("DATABASE_URL", "postgresql://db:port/sxtd", ROOT)


def test_email_url_reads_the_mail_server_and_how_it_is_secured(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("EMAIL_URL", raising=False)
    assert smtp_url("EMAIL_URL") is None  # the console backend: mails are printed
    for url, server in [
        ("smtp://relay.moit.gov.vn", SmtpServer("relay.moit.gov.vn", 25, "", "", False, False)),
        (
            "smtp+tls://sxtd%40moit.gov.vn:p%40ss@mail.moit.gov.vn",
            SmtpServer("mail.moit.gov.vn", 587, "sxtd@moit.gov.vn", "p@ss", True, False),
        ),
        (
            "smtp+ssl://u:p@mail.moit.gov.vn:2465",
            SmtpServer("mail.moit.gov.vn", 2465, "u", "p", False, True),
        ),
    ]:
        monkeypatch.setenv("EMAIL_URL", url)
        assert smtp_url("EMAIL_URL") == server, url


def test_the_site_url_loses_its_trailing_slash(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SITE_URL", raising=False)
    assert site_url("SITE_URL", "http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    monkeypatch.setenv("SITE_URL", "https://sxtd.moit.gov.vn/")
    assert site_url("SITE_URL", "http://127.0.0.1:8000") == "https://sxtd.moit.gov.vn"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "sxtd.settings.development", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_loading_the_reference_data_prints_only_its_own_summary(tmp_path: Path) -> None:
    """`make run` loads the reference data without a broker, so the progress recompute it
    schedules runs in the command itself; Celery's INFO line for that task ("Task
    progress.tasks.recompute_progress_task[…] succeeded in …") came amid the summary."""
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    assert _manage("migrate", "--no-input", **database).returncode == 0
    loaded = _manage("load_reference_data", **database)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stderr == ""
    lines = loaded.stdout.splitlines()
    assert lines[0] == "Tỉnh, thành phố: 86 mới, 0 cập nhật, 0 không đổi"
    assert lines[-1] == "Đã nạp dữ liệu tham chiếu."
    assert len(lines) == 7, lines


def test_an_eager_tasks_warnings_and_errors_still_show() -> None:
    """Only the eager task's INFO lines are quieted: what Celery's task tracer warns of or
    reports as an error still reaches the console."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import logging, django; django.setup(); "
            "trace = logging.getLogger('celery.app.trace'); "
            "trace.info('succeeded'); trace.warning('retrying'); trace.error('raised')",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
            "DJANGO_SETTINGS_MODULE": "sxtd.settings.development",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [line.split(" ", 2)[2] for line in result.stderr.splitlines()] == [
        "WARNING celery.app.trace: retrying",
        "ERROR celery.app.trace: raised",
    ]
