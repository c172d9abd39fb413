"""Sources as links: seed articles open on this site, web addresses at their publisher."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from reference.citations import Citation, citations

register = template.Library()


def _link(citation: Citation) -> SafeString:
    if citation.external:
        link = format_html(
            '<a href="{}" rel="noreferrer noopener" target="_blank">{}</a>',
            citation.url,
            citation.text,
        )
    elif citation.url:
        link = format_html('<a href="{}">{}</a>', citation.url, citation.text)
    else:
        link = format_html("{}", citation.text)
    return format_html("{}: {}", citation.document, link) if citation.document else link


@register.filter
def cite(source: str) -> SafeString:
    return format_html_join("; ", "{}", ((_link(c),) for c in citations(source)))
