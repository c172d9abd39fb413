from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.services import demo_accounts_ensure


class Command(BaseCommand):
    help = "Create the demo accounts with their published, development-only passwords."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError(_("Demo accounts have published passwords: only with DEBUG on."))
        self.stdout.write(_("Demo accounts (development only):"))
        for demo, user in demo_accounts_ensure():
            where = f" · {user.province.label}" if user.province else ""
            self.stdout.write(
                f"  {demo.username:<20} {demo.password:<22} {user.get_role_display()}{where}"
            )
