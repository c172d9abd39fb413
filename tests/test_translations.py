import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from .tooling import require_tool

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locale" / "vi" / "LC_MESSAGES"


def _untranslated(po: polib.POFile) -> list[str]:
    return [
        entry.msgid
        for entry in po
        if not entry.obsolete
        and ("fuzzy" in entry.flags or not (entry.msgstr or entry.msgstr_plural.get(0)))
    ]


def test_every_catalogued_string_has_a_vietnamese_translation() -> None:
    assert _untranslated(polib.pofile(str(CATALOG / "django.po"))) == []


def test_the_compiled_catalogue_matches_the_source_catalogue() -> None:
    with (CATALOG / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in polib.pofile(str(CATALOG / "django.po")):
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        elif entry.msgstr:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_no_user_facing_string_is_missing_from_the_catalogue(tmp_path: Path) -> None:
    """Runs makemessages on a copy, so a new string without a translation fails here."""
    require_tool("xgettext")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "*.pyc", "__pycache__", "db.sqlite3", "media"
        ),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sxtd.settings.test"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "vi", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    assert _untranslated(polib.pofile(str(copy / "locale/vi/LC_MESSAGES/django.po"))) == []


@pytest.mark.django_db
def test_the_site_is_vietnamese_first_and_english_on_request(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Chương trình hành động quốc gia" in response.content.decode()
    assert response["Content-Language"] == "vi"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert "National Action Programme on Sustainable Production" in response.content.decode()
    assert response["Content-Language"] == "en"


def _language_buttons(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each language button's attributes and visible label, by its language code."""
    return dict(
        re.findall(
            r'<button type="submit" name="language" value="(\w+)" ([^>]*>\w+)</button>',
            client.get("/").content.decode(),
        )
    )


@pytest.mark.django_db
def test_each_language_button_is_named_in_its_own_language(client) -> None:  # type: ignore[no-untyped-def]
    """ "VI" and "EN" alone: a screen reader spelled out two letters, in the page's voice."""
    vi, en = (
        'lang="vi" aria-label="Tiếng Việt" title="Tiếng Việt"',
        'lang="en" aria-label="English" title="English"',
    )
    current = ' aria-current="true" disabled'
    assert _language_buttons(client) == {"vi": f"{vi}{current}>VI", "en": f"{en}>EN"}
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert _language_buttons(client) == {"vi": f"{vi}>VI", "en": f"{en}{current}>EN"}
