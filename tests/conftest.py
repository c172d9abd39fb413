from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from progress.models import RecomputeRun
from progress.services import progress_recompute_now
from reference.services import reference_data_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The reference data and its progress figures are loaded once; each test rolls back."""
    with django_db_blocker.unblock():
        reference_data_load()
        progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[date], None]:
    """Sets the day the app sees, at noon in Hà Nội: ``timezone.now``, which
    ``timezone.localdate`` reads too. Set it before logging anyone in, since a session
    expires by the clock it was opened with."""

    def set_day(day: date) -> None:
        moment = datetime.combine(day, time(12), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_day


@pytest.fixture
def administrator_client(db: None) -> Client:
    user = User.objects.create_user(
        "administrator",
        password="pw-administrator",
        role=User.Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )
    client = Client()
    client.force_login(user)
    return client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on a live server flush the database when they end: run them last, so that
    every other test still finds the reference data loaded once per session."""
    items.sort(key=lambda item: "transactional_db" in getattr(item, "fixturenames", ()))


@pytest.fixture
def people(db: None) -> dict[str, User | None]:
    """The base set of people: the ministry, an officer of Hà Nội and one of the new Thái
    Nguyên (Thái Nguyên + Bắc Kạn), an analyst, and a visitor (None)."""
    from provinces.selectors import province_for_code_in_year

    def make(username: str, role: str, code: str = "") -> User:
        province = province_for_code_in_year(code=code, year=2025) if code else None
        return User.objects.create_user(
            username,
            password=f"pw-{username}",
            role=role,
            province=province,
            is_staff=role == User.Role.ADMINISTRATOR,
            is_superuser=role == User.Role.ADMINISTRATOR,
        )

    return {
        "visitor": None,
        "officer_hanoi": make("officer-hn", User.Role.OFFICER, "01"),
        "officer_thainguyen": make("officer-tn", User.Role.OFFICER, "19"),
        "reviewer": make("reviewer-1", User.Role.REVIEWER),
        "analyst": make("analyst-1", User.Role.ANALYST),
        "administrator": make("admin-1", User.Role.ADMINISTRATOR),
    }


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
