from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One bad cell: the file, the line as a spreadsheet numbers it (header = 1), the column."""

    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("%(file)s, line %(line)d, column %(column)s: %(reason)s") % {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "reason": self.reason,
        }


class ReferenceDataError(Exception):
    """The reference data has bad rows; nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))
