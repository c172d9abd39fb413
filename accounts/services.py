from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from provinces.selectors import province_for_code_on

from .models import User


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: User.Role
    province_code: str = ""


# Development only: the passwords are printed by `make run` and published in the README.
DEMO_ACCOUNTS = [
    DemoAccount("admin", "sxtd-admin-demo", User.Role.ADMINISTRATOR),
    DemoAccount("reviewer", "sxtd-reviewer-demo", User.Role.REVIEWER),
    DemoAccount("officer-hanoi", "sxtd-hanoi-demo", User.Role.OFFICER, "01"),
    DemoAccount("officer-thainguyen", "sxtd-thainguyen-demo", User.Role.OFFICER, "19"),
    DemoAccount("analyst", "sxtd-analyst-demo", User.Role.ANALYST),
]


def demo_address(username: str) -> str:
    # A reserved domain (RFC 2606): `make run` prints each review step's mail to them.
    return f"{username}@example.invalid"


def accounts_not_demo() -> list[str]:
    """The accounts that say this database is not a demonstration's: a demo name with an
    address of its own (a real "admin"), or, before the demo accounts were ever made in it,
    anyone's. Once they are there, the accounts a developer adds beside them are not asked
    about; demo accounts made before they had an address have none."""
    demo = {account.username for account in DEMO_ACCOUNTS}
    accounts = dict(User.objects.values_list("username", "email"))
    taken = sorted(
        name for name in demo & accounts.keys() if accounts[name] not in ("", demo_address(name))
    )
    if taken or demo <= accounts.keys():
        return taken
    return sorted(accounts.keys() - demo)


@transaction.atomic
def demo_accounts_ensure() -> list[tuple[DemoAccount, User]]:
    """Create the demo accounts, or reset them to their published passwords and roles."""
    today = timezone.localdate()
    accounts = []
    for demo in DEMO_ACCOUNTS:
        province = (
            province_for_code_on(code=demo.province_code, on=today) if demo.province_code else None
        )
        user = User.objects.filter(username=demo.username).first() or User(username=demo.username)
        user.role = demo.role
        user.province = province
        user.is_staff = user.is_superuser = demo.role == User.Role.ADMINISTRATOR
        user.email = demo_address(demo.username)
        user.set_password(demo.password)
        user.full_clean()
        user.save()
        accounts.append((demo, user))
    return accounts


@transaction.atomic
def token_create(*, user: User) -> str:
    """A new API token for the person, replacing any earlier one; the key is shown once."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


def token_revoke(*, user: User) -> bool:
    from rest_framework.authtoken.models import Token

    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
