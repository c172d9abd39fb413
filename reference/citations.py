"""How a source is cited to a reader: a stored article by its number, a web address as itself.

A source is one string of parts separated by "; ", as ``reference/data`` and the officers'
entries write it; a part may name the document it is about first ("405/KH-UBND: seed
004_6edeba63036783fe.txt"). The pages link each part (the ``cite`` filter); a chart's hover,
which cannot hold a link, prints the same words (``cited_text``). A stored file's own name
("seed 004_….txt") is an internal one and is never what the reader sees.
"""

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

STORED = r"(?P<name>(?P<number>\d{3})_[0-9a-f]{16}\.txt)"
SEED = re.compile(rf"^seed {STORED}$")
STORED_FILE = re.compile(rf"^{STORED}$")
ADDRESS = re.compile(r"^(?P<address>[\w-]+(\.[\w-]+)+\.(vn|com|net|org)/\S+)$")
ABOUT = re.compile(r"^(?P<document>[^:;]+?): (?P<rest>.+)$")


@dataclass(frozen=True)
class Citation:
    text: str
    # The document the part is about ("405/KH-UBND"), written before it.
    document: str = ""
    url: str = ""
    external: bool = False


def _article(number: str) -> str:
    return _("stored article %(number)s") % {"number": number}


def stored_article(name: str) -> str | None:
    """What the pages call the stored file ``name`` ("004_….txt"): "stored article 004";
    None for a name that is not a stored article's."""
    stored = STORED_FILE.match(name)
    return _article(stored["number"]) if stored else None


def _cited(part: str) -> Citation | None:
    seed = SEED.match(part)
    if seed:
        return Citation(
            text=_article(seed["number"]),
            url=reverse("source-detail", args=[seed["name"]]),
        )
    if ADDRESS.match(part):
        return Citation(text=part, url=f"https://{part}", external=True)
    return None


def citations(source: str) -> list[Citation]:
    """Each part of ``source``: what the reader sees and where it leads, if anywhere."""
    found = []
    for part in (part.strip() for part in source.split(";")):
        if not part:
            continue
        cited = _cited(part)
        about = ABOUT.match(part) if cited is None else None
        if about:
            # "405/KH-UBND: seed 004_….txt": the article is cited, after its document.
            inner = _cited(about["rest"])
            if inner:
                cited = Citation(
                    text=inner.text,
                    document=about["document"],
                    url=inner.url,
                    external=inner.external,
                )
        found.append(cited or Citation(text=part))
    return found


def cited_text(source: str) -> str:
    """``source`` in the words the pages show, without links: "405/KH-UBND: stored article
    004; baobackan.com.vn/…"."""
    return "; ".join(f"{c.document}: {c.text}" if c.document else c.text for c in citations(source))
