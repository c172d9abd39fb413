"""Fold locale/pending/*.json (msgid, or "context\u0004msgid", → Vietnamese) into the
Vietnamese catalogue.

Branches add their strings there instead of editing django.po, which every branch
would otherwise change in the same places. `make messages` runs this between
makemessages and compilemessages; merged files are removed.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PENDING = ROOT / "locale" / "pending"


def main() -> int:
    po = polib.pofile(str(CATALOG))
    pending: dict[str, str] = {}
    files = sorted(PENDING.glob("*.json"))
    for path in files:
        pending.update(json.loads(path.read_text(encoding="utf-8")))
    for entry in po:
        # A string with a context (pgettext) is keyed "context\u0004msgid", as gettext
        # itself keys it, so that it never takes the translation of the bare msgid.
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key in pending:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: pending[key]}
            else:
                entry.msgstr = pending[key]
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    po.save()
    for path in files:
        path.unlink()
    missing = [e.msgid for e in po if not (e.msgstr or e.msgstr_plural.get(0)) or e.fuzzy]
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
