"""Mails about the review steps: who is told of what, in which words, and never at the
cost of the step."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.tasks import send_report_step_mails
from provinces.selectors import province_for_code_in_year
from reports.models import Report
from reports.services import (
    report_approve,
    report_reopen,
    report_return,
    report_submit,
)
from sxtd.celery import app as celery_app

from .conftest import client_for
from .progress_builders import hanoi_draft_2025

pytestmark = pytest.mark.django_db

YEAR = 2025
SITE = "https://sxtd.example"


@pytest.fixture(autouse=True)
def tasks_in_process(monkeypatch: pytest.MonkeyPatch, settings) -> None:  # type: ignore[no-untyped-def]
    """The mail task runs where the step commits, as with no broker; links from one site."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.SITE_URL = SITE


@pytest.fixture
def addressed(people):  # type: ignore[no-untyped-def]
    """The base people, each with an address (the fixture's have none)."""
    for user in people.values():
        if user is not None:
            user.email = f"{user.username}@sxtd.test"
            user.save(update_fields=["email"])
    return people


def _person(username: str, role: str, code: str = "", **fields: object) -> User:
    fields.setdefault("email", f"{username}@sxtd.test")
    return User.objects.create_user(
        username,
        role=role,
        province=province_for_code_in_year(code=code, year=YEAR) if code else None,
        **fields,
    )


def _sent(officer: User) -> Report:
    """Hà Nội's 2025 report, sent to the ministry before the test starts (its mails gone)."""
    report = hanoi_draft_2025(officer)
    report_submit(report=report, by=officer)
    return report


def _recipients() -> list[list[str]]:
    return [message.to for message in mail.outbox]


def _english(message: mail.EmailMessage) -> str:
    return message.body.split("\n\n----------\n\n")[1]


def test_a_report_sent_reaches_each_reviewer_with_an_address_in_a_mail_of_their_own(
    addressed, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    _person("reviewer-2", User.Role.REVIEWER)
    _person("reviewer-3", User.Role.REVIEWER, email="")
    _person("reviewer-4", User.Role.REVIEWER, is_active=False)
    officer = addressed["officer_hanoi"]
    report = hanoi_draft_2025(officer)

    with django_capture_on_commit_callbacks(execute=True):
        report_submit(report=report, by=officer)

    # One mail each, addressed to them alone: no reviewer sees another's address. Not the
    # administrator, the analyst or the officers.
    assert _recipients() == [["reviewer-1@sxtd.test"], ["reviewer-2@sxtd.test"]]
    assert all(not message.cc and not message.bcc for message in mail.outbox)
    message = mail.outbox[0]
    assert message.subject.endswith(" / Report sent for review: Hà Nội, 2025")
    english = _english(message)
    assert english.startswith(
        "officer-hn sent the 2025 report of Hà Nội to the ministry for review ("
    )
    assert f"See the report at {SITE}/reports/{report.pk}/" in english
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_a_report_sent_again_after_its_return_says_so(
    addressed, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    officer, reviewer = addressed["officer_hanoi"], addressed["reviewer"]
    report = _sent(officer)
    report_return(report=report, by=reviewer, reason="Thiếu nguồn số liệu")

    with django_capture_on_commit_callbacks(execute=True):
        report_submit(report=report, by=officer)

    assert _recipients() == [["reviewer-1@sxtd.test"]]
    assert mail.outbox[0].subject.endswith(" / Report sent again for review: Hà Nội, 2025")


def test_the_ministrys_decisions_reach_the_units_active_officers_with_the_reason(
    addressed, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """Returned, approved, reopened: Hà Nội's officers with an address hear of each, with
    the reason or the note, and neither the reviewer who acted nor another unit's officer."""
    officer, reviewer = addressed["officer_hanoi"], addressed["reviewer"]
    _person("officer-hn-2", User.Role.OFFICER, "01")
    _person("officer-hn-3", User.Role.OFFICER, "01", email="")
    _person("officer-hn-4", User.Role.OFFICER, "01", is_active=False)
    report = _sent(officer)
    hanoi = [["officer-hn@sxtd.test"], ["officer-hn-2@sxtd.test"]]
    steps = [
        (
            lambda: report_return(report=report, by=reviewer, reason="Thiếu nguồn số liệu"),
            "Report returned for correction: Hà Nội, 2025",
            "reviewer-1 (ministry) returned the 2025 report of Hà Nội for correction (",
            "Reason: Thiếu nguồn số liệu",
        ),
        (
            lambda: report_submit(report=report, by=officer),
            "Report sent again for review: Hà Nội, 2025",
            "officer-hn sent the 2025 report of Hà Nội to the ministry again",
            None,
        ),
        (
            lambda: report_approve(report=report, by=reviewer, note="Số liệu đầy đủ"),
            "Report approved: Hà Nội, 2025",
            "reviewer-1 (ministry) approved the 2025 report of Hà Nội (",
            "Note: Số liệu đầy đủ",
        ),
        (
            lambda: report_reopen(report=report, by=reviewer, reason="Sửa năm gốc"),
            "Approved report reopened for correction: Hà Nội, 2025",
            "reviewer-1 (ministry) reopened the approved 2025 report of Hà Nội for correction (",
            "Reason: Sửa năm gốc",
        ),
    ]
    for step, subject, sentence, reason in steps:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            step()
        sent_to_ministry = subject.startswith("Report sent")
        assert _recipients() == ([["reviewer-1@sxtd.test"]] if sent_to_ministry else hanoi), subject
        for message in mail.outbox:
            assert message.subject.endswith(f" / {subject}")
            english = _english(message)
            assert english.startswith(sentence), english
            if reason:
                assert f"\n\n{reason}\n\n" in english
            assert english.endswith(f"See the report at {SITE}/reports/{report.pk}/")


def test_another_units_officer_hears_nothing_of_a_report_not_theirs(
    addressed, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    officer, reviewer = addressed["officer_hanoi"], addressed["reviewer"]
    report = _sent(officer)
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, by=reviewer, reason="Thiếu nguồn số liệu")
        report_submit(report=report, by=officer)
        report_approve(report=report, by=reviewer)
        report_reopen(report=report, by=reviewer, reason="Sửa năm gốc")
    assert len(mail.outbox) == 4
    assert all(message.to != ["officer-tn@sxtd.test"] for message in mail.outbox)


def test_bac_kans_area_report_after_the_merger_goes_to_the_new_thai_nguyens_officers(
    addressed, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The new Thái Nguyên files Bắc Kạn's 2025 figures (405/KH-UBND runs to 2030), so its
    officers are told, by the rule that lets them edit it; the mail names the former unit
    as the report list does."""
    bac_kan = province_for_code_in_year(code="06", year=2024)
    report = Report.objects.create(province=bac_kan, year=YEAR, status=Report.Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, by=addressed["reviewer"], reason="Thiếu số liệu OCOP")

    assert _recipients() == [["officer-tn@sxtd.test"]]
    message = mail.outbox[0]
    assert "Bắc Kạn (đến 30/6/2025)" in message.subject
    assert message.subject.endswith(
        " / Report returned for correction: Bắc Kạn (until 30 Jun 2025), 2025"
    )
    vietnamese, english = message.body.split("\n\n----------\n\n")
    assert "Bắc Kạn (đến 30/6/2025)" in vietnamese
    assert "the 2025 report of Bắc Kạn (until 30 Jun 2025) for correction" in english


def test_the_national_reports_decisions_reach_the_administrator_who_writes_it(
    addressed, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    report = Report.objects.create(province=None, year=YEAR, status=Report.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, by=addressed["reviewer"], reason="Thiếu SCP-09")
    assert _recipients() == [["admin-1@sxtd.test"]]
    assert mail.outbox[0].subject.endswith(
        " / Report returned for correction: National (Ministry), 2025"
    )


def test_the_mail_is_in_vietnamese_with_the_same_in_english_below(
    addressed, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    officer, reviewer = addressed["officer_hanoi"], addressed["reviewer"]
    report = _sent(officer)
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, by=reviewer, reason="Thiếu nguồn số liệu")
    message = mail.outbox[0]
    assert message.subject == (
        "Báo cáo bị trả lại để sửa: Hà Nội, năm 2025 / Report returned for correction: Hà Nội, 2025"
    )
    when = timezone.localtime(report.transitions.latest("pk").at)
    vietnamese, english = message.body.split("\n\n----------\n\n")
    link = f"{SITE}/reports/{report.pk}/"
    assert vietnamese.startswith(
        "reviewer-1 (Bộ) đã trả lại báo cáo năm 2025 của Hà Nội để sửa "
        f"({when:%H:%M} {when.day}/{when.month}/{when.year}). Hãy sửa và gửi lại."
    ), vietnamese
    assert english.startswith(
        "reviewer-1 (ministry) returned the 2025 report of Hà Nội for correction "
        f"({when.day} {when:%b %Y, %H:%M}). Correct it and send it again."
    ), english
    assert vietnamese.endswith("Lý do: Thiếu nguồn số liệu\n\nXem báo cáo tại " + link), vietnamese
    assert english.endswith("Reason: Thiếu nguồn số liệu\n\nSee the report at " + link)


def test_nothing_is_sent_for_a_step_rolled_back(
    addressed, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    officer, reviewer = addressed["officer_hanoi"], addressed["reviewer"]
    report = _sent(officer)

    class Undone(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Undone),
        transaction.atomic(),
    ):
        report_return(report=report, by=reviewer, reason="Thiếu nguồn số liệu")
        raise Undone

    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert mail.outbox == []


def test_the_step_succeeds_when_the_mail_server_is_down(
    addressed, django_capture_on_commit_callbacks, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    """The page says the report is approved, and it is; the mail's failure is logged by
    the notifications, not left to escape into the commit."""
    officer = addressed["officer_hanoi"]
    report = _sent(officer)

    def refuse(self, messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPConnectError(421, "mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = client_for(addressed["reviewer"]).post(
            reverse("report-approve", args=[report.pk]), follow=True
        )

    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert mail.outbox == []
    logged = [(record.name, record.levelname) for record in caplog.records]
    assert ("notifications.services", "WARNING") in logged
    assert all(level != "ERROR" for _name, level in logged), caplog.records


def test_one_refused_mail_does_not_keep_the_others_from_going(
    addressed, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _person("officer-hn-2", User.Role.OFFICER, "01")
    report = _sent(addressed["officer_hanoi"])
    deliver = EmailBackend.send_messages

    def refuse_one(self, messages):  # type: ignore[no-untyped-def]
        if messages[0].to == ["officer-hn@sxtd.test"]:
            raise smtplib.SMTPRecipientsRefused({"officer-hn@sxtd.test": (550, b"mailbox full")})
        return deliver(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, by=addressed["reviewer"], reason="Thiếu nguồn số liệu")

    assert _recipients() == [["officer-hn-2@sxtd.test"]]


def test_a_worker_tries_again_later_only_the_mails_the_server_refused(
    addressed, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Run as a worker runs it (not in the request's process): the refused recipient's mail
    is retried with its id, so the one delivered is not sent twice."""
    _person("officer-hn-2", User.Role.OFFICER, "01")
    report = _sent(addressed["officer_hanoi"])
    report_return(report=report, by=addressed["reviewer"], reason="Thiếu nguồn số liệu")
    step = report.transitions.latest("pk")
    refused = User.objects.get(username="officer-hn")
    deliver = EmailBackend.send_messages

    def refuse_one(self, messages):  # type: ignore[no-untyped-def]
        if messages[0].to == [refused.email]:
            raise ConnectionResetError("connection reset by the mail server")
        return deliver(self, messages)

    retried = {}

    class Retry(Exception):
        pass

    def retry(**options):  # type: ignore[no-untyped-def]
        retried.update(options)
        return Retry()

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)
    monkeypatch.setattr(send_report_step_mails, "retry", retry)
    with pytest.raises(Retry):
        send_report_step_mails.run(step.pk)
    assert _recipients() == [["officer-hn-2@sxtd.test"]]
    assert retried["args"] == [step.pk, [refused.pk]]

    # The retry: the server takes it now, and only the refused recipient gets a mail.
    monkeypatch.setattr(EmailBackend, "send_messages", deliver)
    send_report_step_mails.run(*retried["args"])
    assert _recipients() == [["officer-hn-2@sxtd.test"], [refused.email]]
