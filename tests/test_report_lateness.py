"""When a report is late: by the unit's first sending, alike in the status grid, its
export, its totals and the API. A report sent on time read late for good once the ministry
returned it after the deadline, because each resubmission overwrote ``submitted_at``."""

import io
import re
from datetime import date, datetime

import pandas as pd
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from indicators.models import Indicator
from provinces.selectors import province_for_code_in_year
from reports.models import Report, ReportedValue
from reports.services import (
    report_approve,
    report_reopen,
    report_return,
    report_submit,
)

from .conftest import client_for
from .progress_builders import hanoi_draft_2025

YEAR = 2025  # due 31/1/2026, the default deadline


def _clock(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """Noon in Hà Nội on ``day``, for the services and the pages alike (timezone.localdate
    reads timezone.now)."""
    instant = datetime.fromisoformat(f"{day}T12:00:00+07:00")
    monkeypatch.setattr(timezone, "now", lambda: instant)


def _flagged(reviewer: User) -> dict[str, object]:
    """How Hà Nội's 2025 cell reads today: late or not on the status page, in its CSV export
    and in the API, and how many reports (not missing ones) the page's totals count late."""
    hanoi = province_for_code_in_year(code="01", year=YEAR)
    client = client_for(reviewer)  # logged in now: the session's age follows the clock
    page = re.sub(
        r"\s+",
        " ",
        client.get(reverse("reporting-status"), {"from": YEAR, "to": YEAR}).content.decode(),
    )
    row = re.search(rf'href="/provinces/{hanoi.pk}/">Hà Nội</a>.*?</tr>', page)
    assert row
    cell = re.findall(r'<td class="cell([^"]*)">', row.group(0))[0]
    foot = re.search(r"<tfoot>(.*?)</tfoot>", page).group(1)  # type: ignore[union-attr]
    totals = {
        label: int(re.search(r'<td class="num">(\d+)</td>', cells).group(1))  # type: ignore[union-attr]
        for label, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', foot)
    }
    overdue = timezone.localdate() > date(YEAR + 1, 1, 31)
    export = client.get(
        reverse("export", args=["status", "csv"]), {"year_from": YEAR, "year_to": YEAR}
    )
    frame = pd.read_csv(
        io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content),
        encoding="utf-8-sig",
        dtype={"unit_code": str},
    )
    grid = client.get(reverse("api:reporting-status"), {"year_from": YEAR, "year_to": YEAR})
    api_row = next(row for row in grid.json()["rows"] if row["unit_code"] == "01")
    return {
        "page": "late" in cell.split(),
        "csv": bool(frame[frame.unit_code == "01"].iloc[0].late),
        "api": api_row["cells"][0]["late"],
        "late reports": totals["muộn"] - (totals["chưa có báo cáo"] if overdue else 0),
    }


ON_TIME = {"page": False, "csv": False, "api": False, "late reports": 0}
LATE = {"page": True, "csv": True, "api": True, "late reports": 1}


@pytest.mark.django_db
def test_a_report_sent_on_time_stays_on_time_when_the_ministry_returns_it_late(
    people, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Sent 20/1/2026, returned by the ministry 5/2, sent again 10/2: the unit did its part
    on time, while the report is back with it and once it is sent again and approved."""
    officer, reviewer = people["officer_hanoi"], people["reviewer"]
    _clock(monkeypatch, "2026-01-20")
    report = hanoi_draft_2025(officer)
    report_submit(report=report, by=officer)
    _clock(monkeypatch, "2026-02-05")
    report_return(report=report, by=reviewer, reason="Thiếu nguồn số liệu")
    _clock(monkeypatch, "2026-02-07")
    assert _flagged(reviewer) == ON_TIME
    _clock(monkeypatch, "2026-02-10")
    report_submit(report=report, by=officer)
    _clock(monkeypatch, "2026-11-30")
    assert _flagged(reviewer) == ON_TIME
    report_approve(report=report, by=reviewer)
    assert _flagged(reviewer) == ON_TIME


@pytest.mark.django_db
def test_a_report_first_sent_after_the_deadline_stays_late(people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Sent 3/2/2026, returned and sent again, approved: late for good, and the API says by
    which sending it is judged, beside the latest one."""
    officer, reviewer = people["officer_hanoi"], people["reviewer"]
    _clock(monkeypatch, "2026-02-03")
    report = hanoi_draft_2025(officer)
    report_submit(report=report, by=officer)
    assert _flagged(reviewer) == LATE
    _clock(monkeypatch, "2026-02-04")
    report_return(report=report, by=reviewer, reason="Thiếu nguồn số liệu")
    _clock(monkeypatch, "2026-02-06")
    report_submit(report=report, by=officer)
    report_approve(report=report, by=reviewer)
    _clock(monkeypatch, "2026-11-30")
    assert _flagged(reviewer) == LATE
    listed = client_for(reviewer).get(reverse("api:report-list"), {"year": YEAR}).json()
    row = next(item for item in listed["results"] if item["id"] == report.pk)
    assert (row["first_submitted_at"], row["submitted_at"]) == (
        "2026-02-03T12:00:00+07:00",
        "2026-02-06T12:00:00+07:00",
    )


@pytest.mark.django_db
def test_an_outsider_does_not_learn_from_the_first_sending_that_a_report_was_returned(
    people, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A first sending other than the latest tells that the report came back, which the
    review history hides from all but the ministry and the unit's officers: the API and the
    exports give the others none."""
    officer, reviewer = people["officer_hanoi"], people["reviewer"]
    _clock(monkeypatch, "2026-01-20")
    report = hanoi_draft_2025(officer)
    report_submit(report=report, by=officer)
    report_return(report=report, by=reviewer, reason="Thiếu nguồn số liệu")
    _clock(monkeypatch, "2026-01-25")
    report_submit(report=report, by=officer)
    report_approve(report=report, by=reviewer)

    def first_sent(client) -> set[str | None]:  # type: ignore[no-untyped-def]
        detail = client.get(reverse("api:report-detail", args=[report.pk])).json()
        listed = client.get(reverse("api:report-list"), {"year": YEAR}).json()["results"]
        csv_rows = [
            pd.read_csv(io.BytesIO(_body(response)), encoding="utf-8-sig", dtype=str)
            for response in (
                client.get(reverse("api:report-list"), {"year": YEAR, "format": "csv"}),
                client.get(reverse("export", args=["reports", "csv"]), {"year": YEAR}),
            )
        ]
        found = [
            detail["first_submitted_at"],
            next(row for row in listed if row["id"] == report.pk)["first_submitted_at"],
            *(
                frame[frame["id"] == str(report.pk)].iloc[0].first_submitted_at
                for frame in csv_rows
            ),
        ]
        return {None if pd.isna(day) else day for day in found}  # an empty CSV cell reads NaN

    for insider in (reviewer, officer):
        assert first_sent(client_for(insider)) == {"2026-01-20T12:00:00+07:00"}
    for outsider in (people["analyst"], people["officer_thainguyen"]):
        assert first_sent(client_for(outsider)) == {None}
    assert first_sent(Client()) == {None}


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_a_report_never_sent_is_late_once_the_deadline_has_passed(people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    officer, reviewer = people["officer_hanoi"], people["reviewer"]
    _clock(monkeypatch, "2026-01-10")
    hanoi_draft_2025(officer)
    _clock(monkeypatch, "2026-01-31")  # the deadline's own day is still on time
    assert _flagged(reviewer) == ON_TIME
    _clock(monkeypatch, "2026-02-01")
    assert _flagged(reviewer) == LATE


@pytest.mark.django_db
def test_figures_loaded_as_approved_and_reopened_by_the_ministry_are_not_late(
    people, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A report the reference data loads as approved was never a draft here: the ministry
    reopening it after the deadline does not make the unit late, nor does its sending it
    back."""
    officer, reviewer = people["officer_hanoi"], people["reviewer"]
    report = Report.objects.create(
        province=province_for_code_in_year(code="01", year=YEAR),
        year=YEAR,
        status=Report.Status.APPROVED,
    )
    ReportedValue.objects.create(
        report=report, indicator=Indicator.objects.get(code="SCP-07"), value=90
    )
    _clock(monkeypatch, "2026-03-01")
    report_reopen(report=report, by=reviewer, reason="Sửa năm gốc")
    assert _flagged(reviewer) == ON_TIME
    _clock(monkeypatch, "2026-03-05")
    report_submit(report=report, by=officer)
    assert _flagged(reviewer) == ON_TIME


@pytest.mark.django_db
def test_the_report_page_shows_the_first_sending_beside_the_latest(people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The page's "sent 10/2" beside "due 31/1" read late where the grid says on time: the
    first sending is shown too, to those who see the review history."""
    officer, reviewer = people["officer_hanoi"], people["reviewer"]
    _clock(monkeypatch, "2026-01-20")
    report = hanoi_draft_2025(officer)
    report_submit(report=report, by=officer)
    url = reverse("report-detail", args=[report.pk])
    assert "gửi lần đầu" not in client_for(reviewer).get(url).content.decode()
    _clock(monkeypatch, "2026-02-05")
    report_return(report=report, by=reviewer, reason="Thiếu nguồn số liệu")
    _clock(monkeypatch, "2026-02-10")
    report_submit(report=report, by=officer)
    page = client_for(reviewer).get(url).content.decode()
    assert "đã gửi 12:00 10/2/2026 (gửi lần đầu 12:00 20/1/2026)" in page
    assert 'class="late"' not in page  # sent on time: the late return is the ministry's
    report_approve(report=report, by=reviewer)
    public = client_for(None).get(url).content.decode()
    assert "đã gửi 12:00 10/2/2026</p>" in public and "gửi lần đầu" not in public


@pytest.mark.django_db
def test_the_report_page_says_a_report_first_sent_late_is_late(people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The page said "approved · sent 3/2" under "due 31/1" and left the reader to work it
    out, while the status page flags it: it says late too, to those who see the review."""
    officer, reviewer = people["officer_hanoi"], people["reviewer"]
    _clock(monkeypatch, "2026-02-03")
    report = hanoi_draft_2025(officer)
    report_submit(report=report, by=officer)
    report_approve(report=report, by=reviewer)
    url = reverse("report-detail", args=[report.pk])
    kicker = re.search(r'<p class="kicker">.*?</p>', client_for(reviewer).get(url).content.decode())
    assert kicker and 'hạn 31/1/2026 · <span class="late">muộn</span>' in kicker.group(0)
    assert 'class="late"' not in client_for(None).get(url).content.decode()


def _local(day: str, time: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{time}+07:00")


@pytest.mark.parametrize(
    ("status", "first_sent", "today", "late"),
    [
        ("draft", None, "2026-01-31", False),
        ("draft", None, "2026-02-01", True),
        # The deadline is a day in Hà Nội: 23:30 on 31/1 there is 16:30 UTC the same day,
        # 00:30 on 1/2 is still 31/1 in UTC.
        ("submitted", _local("2026-01-31", "23:30"), "2026-11-30", False),
        ("submitted", _local("2026-02-01", "00:30"), "2026-11-30", True),
        ("returned", _local("2026-01-20", "09:00"), "2026-11-30", False),
        ("returned", _local("2026-02-03", "09:00"), "2026-11-30", True),
        ("approved", _local("2026-01-20", "09:00"), "2026-11-30", False),
        ("approved", _local("2026-02-03", "09:00"), "2026-11-30", True),
        # Loaded as approved figures, perhaps reopened and sent again: no first sending.
        ("approved", None, "2026-11-30", False),
        ("returned", None, "2026-11-30", False),
        ("submitted", None, "2026-11-30", False),
    ],
)
def test_lateness_is_judged_by_the_first_sending(
    status: str, first_sent: datetime | None, today: str, late: bool
) -> None:
    from reports.selectors import report_is_late

    report = Report(
        year=YEAR,
        status=status,
        first_submitted_at=first_sent,
        submitted_at=_local("2026-06-01", "09:00") if first_sent else None,
    )
    due = date(YEAR + 1, 1, 31)
    assert report_is_late(report=report, due=due, today=date.fromisoformat(today)) is late


BEFORE = [("reports", "0005_value_change_review_path")]
AFTER = [("reports", "0006_report_first_submitted_at")]


def test_the_migration_takes_each_reports_first_sending_from_its_history(
    transactional_db: None,
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        old_report = apps.get_model("reports", "Report")
        old_transition = apps.get_model("reports", "ReportTransition")
        reviewer = apps.get_model("accounts", "User").objects.create(
            username="reviewer-migration", role="reviewer"
        )
        # Units of its own: a transactional test may run after another has emptied the
        # database of the reference data.
        province = apps.get_model("provinces", "Province")
        units = iter(
            province.objects.create(code=f"X{n}", name=f"Thử {n}", kind="tinh", source="test")
            for n in range(1, 7)
        )

        def report(status: str, sent: str | None, *steps: tuple[str, str, str]) -> int:
            made = old_report.objects.create(
                province=next(units),
                year=YEAR,
                status=status,
                submitted_at=_local(sent, "09:00") if sent else None,
            )
            for source, to, day in steps:
                old_transition.objects.create(
                    report=made,
                    from_status=source,
                    to_status=to,
                    by=reviewer,
                    at=_local(day, "09:00"),
                )
            return made.pk

        returned_late = report(
            "submitted",
            "2026-02-10",
            ("draft", "submitted", "2026-01-20"),
            ("submitted", "returned", "2026-02-05"),
            ("returned", "submitted", "2026-02-10"),
        )
        without_history = report("submitted", "2026-02-03")
        loaded_and_reopened = report(
            "submitted",
            "2026-03-05",
            ("approved", "returned", "2026-03-01"),
            ("returned", "submitted", "2026-03-05"),
        )
        draft = report("draft", None)
        # Sent before the history was kept, then returned (and sent again): the history's
        # first step is the earliest sending known, not none at all.
        sent_before_history = report(
            "submitted",
            "2024-03-20",
            ("submitted", "returned", "2024-03-10"),
            ("returned", "submitted", "2024-03-20"),
        )
        returned_before_history = report(
            "returned", "2023-03-01", ("submitted", "returned", "2023-03-05")
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        first = dict(
            Report.objects.filter(
                pk__in=[
                    returned_late,
                    without_history,
                    loaded_and_reopened,
                    draft,
                    sent_before_history,
                    returned_before_history,
                ]
            ).values_list("pk", "first_submitted_at")
        )
        assert first == {
            returned_late: _local("2026-01-20", "09:00"),
            without_history: _local("2026-02-03", "09:00"),
            loaded_and_reopened: None,
            draft: None,
            sent_before_history: _local("2024-03-10", "09:00"),
            returned_before_history: _local("2023-03-01", "09:00"),
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "vi",
            [
                "Bắc Kạn (đến 30/6/2025): đã duyệt",
                "Thái Nguyên (đến 30/6/2025): chưa có báo cáo muộn",
            ],
        ),
        (
            "en",
            [
                "Bắc Kạn (until 30 Jun 2025): approved",
                "Thái Nguyên (until 30 Jun 2025): no report late",
            ],
        ),
    ],
)
def test_a_merged_cell_flags_each_late_report_on_its_own_line(
    people, monkeypatch, language: str, lines: list[str]
) -> None:  # type: ignore[no-untyped-def]
    """The new Thái Nguyên's 2022 cell holds Bắc Kạn's approved report and nothing from the
    old Thái Nguyên: one "late" after both lines, and nobody could tell which was late. Each
    report is an item of its own, the flag inside the late one's, as the export's rows say."""
    _clock(monkeypatch, "2026-03-01")
    client = client_for(people["reviewer"])
    client.post("/i18n/setlang/", {"language": language})
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    page = client.get(reverse("reporting-status"), {"from": 2022, "to": 2022}).content.decode()
    row = re.search(rf'href="/provinces/{thai_nguyen.pk}/">Thái Nguyên</a>.*?</tr>', page, re.S)
    assert row
    cell = re.search(r'<td class="cell[^"]*">(.*?)</td>', row.group(0), re.S)
    assert cell
    items = re.findall(r"<li>(.*?)</li>", cell.group(1), re.S)
    shown = [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]
    assert shown == lines
    assert cell.group(1).count('class="flag"') == 1
    # The page and both exports agree, report by report.
    params = {"year_from": 2022, "year_to": 2022}
    csv = client.get(reverse("export", args=["status", "csv"]), params)
    frame = pd.read_csv(
        io.BytesIO(b"".join(csv.streaming_content) if csv.streaming else csv.content),
        encoding="utf-8-sig",
        dtype={"unit_code": str, "row_unit_code": str},
    )
    xlsx = client.get(reverse("export", args=["status", "xlsx"]), params)
    sheet = pd.read_excel(
        io.BytesIO(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content),
        sheet_name="data",
        dtype={"unit_code": str, "row_unit_code": str},
    )
    for exported in (frame, sheet):
        parts = exported[exported.row_unit_code == "19"]
        assert parts[["unit_code", "late"]].values.tolist() == [["06", False], ["19", True]]
        flagged = ["flag" in item for item in items]
        assert flagged == parts.late.tolist()
