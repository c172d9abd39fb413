"""Logging in, what stops password guessing, and what a page may load."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from sxtd.client_ip import client_ip

pytestmark = pytest.mark.django_db


def _login(password: str, address: str = "203.113.1.10", username: str = "nguyen-van-a") -> int:
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code


@pytest.fixture
def person() -> User:
    return User.objects.create_user(
        "nguyen-van-a", password="dung-mat-khau", role=User.Role.ANALYST
    )


def test_five_wrong_passwords_lock_that_username_from_that_address(person, settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _login("sai") == 200  # the form again, with its error
    locked = Client(REMOTE_ADDR="203.113.1.10").post(
        reverse("login"), {"username": "nguyen-van-a", "password": "sai"}
    )
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in text and "30 phút" in text
    # Locked means locked: the right password from there is refused too.
    assert _login("dung-mat-khau") == 429
    # Neither a colleague at that address nor the officer elsewhere is locked out.
    User.objects.create_user("analyst-1", password="mat-khau-khac", role=User.Role.ANALYST)
    assert _login("mat-khau-khac", username="analyst-1") == 302
    assert _login("dung-mat-khau", address="14.160.2.20") == 302


def test_a_refused_login_is_announced_and_marks_both_fields(person) -> None:  # type: ignore[no-untyped-def]
    """The error sat in a plain list above the form: a screen reader heard nothing after the
    page came back, and the fields it concerns were not marked."""
    client = Client(REMOTE_ADDR="203.113.1.10")
    page = client.post(
        reverse("login"), {"username": "nguyen-van-a", "password": "sai"}
    ).content.decode()
    alert = re.search(r'<div class="notice error" role="alert" id="login-error">(.*?)</div>', page)
    assert alert and "mật khẩu chính xác" in alert.group(1)
    assert page.count("mật khẩu chính xác") == 1
    for name in ("username", "password"):
        field = re.search(rf'<input [^>]*name="{name}"[^>]*>', page)
        assert field, name
        assert 'aria-invalid="true"' in field.group(0)
        assert 'aria-describedby="login-error"' in field.group(0)
    # Before a try, nothing is marked.
    fresh = client.get(reverse("login")).content.decode()
    assert "aria-invalid" not in fresh and 'role="alert"' not in fresh


def test_a_successful_login_clears_the_count(person) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        _login("sai")
    assert _login("dung-mat-khau") == 302
    for _ in range(4):
        assert _login("sai") == 200


def test_pages_allow_only_the_servers_own_scripts(client) -> None:  # type: ignore[no-untyped-def]
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "https:" not in policy and "http:" not in policy


def test_a_person_changes_their_own_password_and_their_other_sessions_end(person) -> None:  # type: ignore[no-untyped-def]
    """Officers could only keep the password an administrator typed for them."""
    elsewhere = Client()
    elsewhere.post(reverse("login"), {"username": "nguyen-van-a", "password": "dung-mat-khau"})
    assert elsewhere.get(reverse("password_change")).status_code == 200
    client = Client()
    client.post(reverse("login"), {"username": "nguyen-van-a", "password": "dung-mat-khau"})
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in home

    form = client.get(reverse("password_change")).content.decode()
    assert "Đổi mật khẩu" in form and 'name="old_password"' in form
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "sai", "new_password1": "Cong-thuong-2026", "new_password2": "Cong-thuong-2026"},
    )  # fmt: skip
    assert wrong.status_code == 200 and "old_password" in wrong.context["form"].errors

    changed = client.post(
        reverse("password_change"),
        {"old_password": "dung-mat-khau", "new_password1": "Cong-thuong-2026", "new_password2": "Cong-thuong-2026"},
    )  # fmt: skip
    assert changed.status_code == 302
    assert "Mật khẩu đã được đổi" in client.get(changed["Location"]).content.decode()
    # This session goes on; the one opened elsewhere with the old password does not.
    assert client.get(reverse("password_change")).status_code == 200
    assert elsewhere.get(reverse("password_change")).status_code == 302
    assert _login("dung-mat-khau") == 200
    assert _login("Cong-thuong-2026") == 302


def test_a_password_change_is_for_logged_in_people_only(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


PROXY = "172.18.0.1"  # the reverse proxy, as gunicorn in its container sees it


def _login_through_proxy(password: str, forwarded_for: str) -> int:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    response = client.post(reverse("login"), {"username": "nguyen-van-a", "password": password})
    return response.status_code


def test_behind_the_proxy_a_guesser_locks_the_username_only_from_his_own_address(
    person, settings
) -> None:  # type: ignore[no-untyped-def]
    """Every request reaches gunicorn from the proxy: counted by that address, five wrong
    passwords from anywhere would lock the officer out for everyone."""
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        _login_through_proxy("sai", forwarded_for="203.113.1.10")
    assert _login_through_proxy("dung-mat-khau", forwarded_for="203.113.1.10") == 429
    # A client may write its own X-Forwarded-For; the proxy appends the address it saw.
    assert _login_through_proxy("dung-mat-khau", forwarded_for="203.113.1.10, 14.160.2.20") == 302


def test_without_a_proxy_a_forwarded_address_is_not_believed(person, settings) -> None:  # type: ignore[no-untyped-def]
    """A guesser talking to gunicorn directly cannot escape the lock by naming a new address
    in each attempt."""
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(5):
        _login_through_proxy("sai", forwarded_for=f"198.51.100.{attempt}")
    assert _login_through_proxy("dung-mat-khau", forwarded_for="198.51.100.99") == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "address"),
    [
        (1, "203.113.1.10", "203.113.1.10"),
        (1, "10.0.0.1, 203.113.1.10", "203.113.1.10"),
        (2, "198.51.100.7, 203.113.1.10, 10.1.1.1", "203.113.1.10"),
        (2, "203.113.1.10", "203.113.1.10"),
        (1, "unknown", PROXY),
        (1, "", PROXY),
        (0, "203.113.1.10", PROXY),
    ],
)
def test_the_client_address_is_the_entry_the_outermost_trusted_proxy_wrote(
    settings, rf, proxies: int, forwarded_for: str, address: str
) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == address
