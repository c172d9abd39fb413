"""Sources as links: seed articles open on this site, web addresses at their publisher."""

import re

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

SEED = re.compile(r"^seed (?P<name>(?P<number>\d{3})_[0-9a-f]{16}\.txt)$")
ADDRESS = re.compile(r"^(?P<address>[\w-]+(\.[\w-]+)+\.(vn|com|net|org)/\S+)$")


def _part(part: str) -> SafeString:
    seed = SEED.match(part)
    if seed:
        url = reverse("source-detail", args=[seed["name"]])
        label = _("stored article %(number)s") % {"number": seed["number"]}
        return format_html('<a href="{}" title="{}">{}</a>', url, part, label)
    address = ADDRESS.match(part)
    if address:
        return format_html(
            '<a href="https://{}" rel="noreferrer noopener" target="_blank">{}</a>', part, part
        )
    return format_html("{}", part)


@register.filter
def cite(source: str) -> SafeString:
    parts = [part.strip() for part in source.split(";") if part.strip()]
    return format_html_join("; ", "{}", ((_part(part),) for part in parts))
