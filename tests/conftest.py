import pytest
from django.test import Client

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
