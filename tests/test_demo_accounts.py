from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from accounts.models import User

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_accounts_are_created_once_with_their_roles_and_units() -> None:
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    call_command("create_demo_users", stdout=StringIO())
    users = {u.username: u for u in User.objects.select_related("province")}
    assert users["reviewer"].role == User.Role.REVIEWER
    assert users["analyst"].role == User.Role.ANALYST
    assert users["officer-hanoi"].province.name == "Hà Nội"
    thai_nguyen = users["officer-thainguyen"].province
    assert (thai_nguyen.name, thai_nguyen.valid_to) == ("Thái Nguyên", None)
    assert thai_nguyen.valid_from is not None  # the new, merged Thái Nguyên
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert User.objects.count() == 5
    assert "sxtd-hanoi-demo" in out.getvalue()
    assert users["officer-hanoi"].check_password("sxtd-hanoi-demo")


@override_settings(DEBUG=False)
def test_demo_accounts_are_refused_without_debug() -> None:
    with pytest.raises(CommandError):
        call_command("create_demo_users", stdout=StringIO())
    assert not User.objects.exists()


def test_demo_login_works(client) -> None:  # type: ignore[no-untyped-def]
    with override_settings(DEBUG=True):
        call_command("create_demo_users", stdout=StringIO())
    response = client.post("/login/", {"username": "reviewer", "password": "sxtd-reviewer-demo"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "cán bộ thẩm định của Bộ" in page


@override_settings(DEBUG=True)
def test_a_demo_officers_sent_report_is_mailed_to_the_demo_reviewer(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The demo accounts had no address, so `make run` showed no review mail at all."""
    from django.core import mail

    from reports.services import report_submit
    from sxtd.celery import app as celery_app

    # As `make run` sends it, without a worker (CI's second run names a real Redis).
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)

    from .progress_builders import hanoi_draft_2025

    call_command("create_demo_users", stdout=StringIO())
    officer = User.objects.get(username="officer-hanoi")
    report = hanoi_draft_2025(officer)
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(report=report, by=officer)
    assert [message.to for message in mail.outbox] == [["reviewer@example.invalid"]]


@override_settings(DEBUG=True)
def test_a_database_with_its_own_admin_gets_no_demo_accounts() -> None:
    """`make run` with DATABASE_URL naming the ministry's database reset its "admin" to the
    published password and opened four demo accounts beside it."""
    User.objects.create_user("admin", email="admin@moit.gov.vn", password="the-real-one")
    User.objects.create_user("nguyen.van.a", email="a@moit.gov.vn", password="x")
    with pytest.raises(CommandError, match="admin"):
        call_command("create_demo_users", stdout=StringIO())
    assert User.objects.get(username="admin").check_password("the-real-one")
    assert User.objects.count() == 2


@override_settings(DEBUG=True)
def test_accounts_before_the_demo_ones_stop_them_unless_forced() -> None:
    User.objects.create_user("nguyen.van.a", email="a@moit.gov.vn", password="x")
    with pytest.raises(CommandError, match=r"nguyen\.van\.a"):
        call_command("create_demo_users", stdout=StringIO())
    assert User.objects.count() == 1
    call_command("create_demo_users", "--force", stdout=StringIO())
    assert User.objects.count() == 6


@override_settings(DEBUG=True)
def test_a_developer_adds_accounts_beside_the_demo_ones_and_make_run_goes_on() -> None:
    call_command("create_demo_users", stdout=StringIO())
    User.objects.filter(username="reviewer").update(email="")  # made before they had one
    User.objects.create_user("tester", password="x")
    call_command("create_demo_users", stdout=StringIO())
    assert User.objects.get(username="reviewer").email == "reviewer@example.invalid"
