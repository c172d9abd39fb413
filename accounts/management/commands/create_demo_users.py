from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.services import accounts_not_demo, demo_accounts_ensure

# Enough names for the operator to recognise the database, not a list of its people.
NAMED = 5


class Command(BaseCommand):
    help = "Create the demo accounts with their published, development-only passwords."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create them even in a database that holds other accounts.",
        )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError(_("Demo accounts have published passwords: only with DEBUG on."))
        # `make run` with DATABASE_URL naming the ministry's database would otherwise give its
        # "admin" a published password, and open four more accounts beside it.
        others = accounts_not_demo()
        if others and not options["force"]:
            raise CommandError(
                _(
                    "This database holds accounts that are not the demo ones (%(names)s): "
                    "demo accounts, whose passwords are published, are not made in it. "
                    "Point DATABASE_URL at a database of your own, or add --force."
                )
                % {"names": ", ".join(others[:NAMED]) + (", …" if len(others) > NAMED else "")}
            )
        self.stdout.write(_("Demo accounts (development only):"))
        for demo, user in demo_accounts_ensure():
            where = f" · {user.province.label}" if user.province else ""
            self.stdout.write(
                f"  {demo.username:<20} {demo.password:<22} {user.get_role_display()}{where}"
            )
