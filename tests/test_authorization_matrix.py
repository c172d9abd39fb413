"""Every URL × every role × own/other unit: who may see and do what.

"404" means the role may not know the object exists (an id reveals nothing); "login"
sends a visitor to log in; "ok" is a page or a redirect after the action. For the JSON API
("api" cases: a JSON body, and If-Match with the report's current ETag), "401" is a
visitor's write (DRF's answer, with "WWW-Authenticate: Token") and "ok" is 200 or 201.
A URL added to the project without entries here fails test_every_url_is_in_the_matrix;
a URL answering more than one method has one entry per method ("name METHOD").
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from indicators.models import Indicator
from programmes.models import Document
from provinces.selectors import province_for_code_in_year
from reports.import_services import import_batch_preview
from reports.models import ImportBatch, Report, ReportedValue

from .conftest import client_for

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "officer_hanoi", "reviewer", "analyst", "administrator"]
# URLs whose protection is someone else's and is tested there: Django's admin checks
# is_staff itself (tests/test_admin.py).
EXEMPT = {"admin"}


@dataclass(frozen=True)
class Case:
    method: str
    # (target report) -> (url args, POST data)
    request: Callable[[Report | None], tuple[list[Any], dict[str, Any]]]
    # role -> expected outcome; for report URLs, per target: "own" (Hà Nội's), "other"
    # (Thái Nguyên's), "public" (an approved reference report).
    expect: dict[str, Any]
    state: str = ""  # the status the target report is put in first
    targets: tuple[str, ...] = ("",)
    evidence: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    api: bool = False
    upload: bool = False  # an API write sent as multipart (a file), not JSON


def _plain(*args: Any) -> Callable[[Report | None], tuple[list[Any], dict[str, Any]]]:
    return lambda report: (list(args), {})


def _report(report: Report | None) -> tuple[list[Any], dict[str, Any]]:
    assert report is not None
    return [report.pk], {"reason": "Kiểm tra"}


def _assessment(report: Report | None) -> tuple[list[Any], dict[str, Any]]:
    assert report is not None
    return [report.pk], {"version": report.version}


def _open(report: Report | None) -> tuple[list[Any], dict[str, Any]]:
    assert report is not None
    return [], {"province": report.province_id, "year": report.year}


def _evidence(report: Report | None) -> tuple[list[Any], dict[str, Any]]:
    assert report is not None
    value = report.values.exclude(evidence_file="").get()
    return [report.pk, value.pk], {}


def _template(report: Report | None) -> tuple[list[Any], dict[str, Any]]:
    assert report is not None
    return [report.pk, "xlsx"], {}


def _batch(report: Report | None) -> tuple[list[Any], dict[str, Any]]:
    """An upload by the officer of the target report's unit, with one row for it: "own" is
    Hà Nội's officer's file, "other" Thái Nguyên's officer's."""
    assert report is not None and report.province is not None
    officer = User.objects.get(role=User.Role.OFFICER, province=report.province)
    content = (
        "unit_code,indicator_code,year,value,qualifier,numerator,denominator,note,source\n"
        f"{report.province.code},SCP-07,{report.year},91,,,,,t\n"
    ).encode()
    batch = ImportBatch.objects.create(uploaded_by=officer, filename="t.csv", content=content)
    return [batch.pk], {}


def _api_batch(report: Report | None) -> tuple[list[Any], dict[str, Any]]:
    """``_batch``, with the preview's digest its uploader would send as If-Match."""
    args, data = _batch(report)
    batch = ImportBatch.objects.get(pk=args[0])
    digest = import_batch_preview(batch=batch, by=batch.uploaded_by).digest
    return args, {**data, "_if_match": f'"{digest}"'}


def _api_upload(report: Report | None) -> tuple[list[Any], dict[str, Any]]:
    content = (
        b"unit_code,indicator_code,year,value,qualifier,numerator,denominator,note,source\n"
        b"01,SCP-07,2024,91,,,,,t\n"
    )
    return [], {"file": SimpleUploadedFile("ket-qua.csv", content, "text/csv")}


ALL = dict.fromkeys(ROLES, "ok")
OWN_DRAFT_READERS = {
    "visitor": {"own": "404", "other": "404", "public": "ok"},
    "officer_hanoi": {"own": "ok", "other": "404", "public": "ok"},
    "reviewer": {"own": "ok", "other": "ok", "public": "ok"},
    "analyst": {"own": "404", "other": "404", "public": "ok"},
    "administrator": {"own": "ok", "other": "ok", "public": "ok"},
}
OFFICER_WRITES = {
    "visitor": {"own": "login", "other": "login"},
    "officer_hanoi": {"own": "ok", "other": "404"},
    "reviewer": {"own": "404", "other": "404"},
    "analyst": {"own": "404", "other": "404"},
    "administrator": {"own": "404", "other": "404"},
}
REVIEWER_WRITES = {
    "visitor": {"own": "login", "other": "login"},
    "officer_hanoi": {"own": "404", "other": "404"},
    "reviewer": {"own": "ok", "other": "ok"},
    "analyst": {"own": "404", "other": "404"},
    "administrator": {"own": "ok", "other": "ok"},
}
MINISTRY_ONLY = {
    "visitor": "login",
    "officer_hanoi": "404",
    "reviewer": "ok",
    "analyst": "404",
    "administrator": "ok",
}

OFFICERS_ONLY = {
    "visitor": "login",
    "officer_hanoi": "ok",
    "reviewer": "404",
    "analyst": "404",
    "administrator": "404",
}
API_READERS = {
    **OWN_DRAFT_READERS,
}
API_OFFICER_WRITES = {
    **OFFICER_WRITES,
    "visitor": {"own": "401", "other": "401"},
}
API_REVIEWER_WRITES = {
    **REVIEWER_WRITES,
    "visitor": {"own": "401", "other": "401"},
}
API_MINISTRY_ONLY = {**MINISTRY_ONLY, "visitor": "404"}
LOGGED_IN = {**ALL, "visitor": "login"}


def _values(report: Report | None) -> tuple[list[Any], dict[str, Any]]:
    assert report is not None
    return [report.pk], {"values": [{"indicator": "SCP-07", "value": "91"}]}


def _api_assessment(report: Report | None) -> tuple[list[Any], dict[str, Any]]:
    """A qualitative result (SCP-01) on the report, so that the ministry's assessment of it
    is a change, not a no-op."""
    assert report is not None
    ReportedValue.objects.create(
        report=report, indicator=Indicator.objects.get(code="SCP-01"), note="Ban hành kế hoạch"
    )
    return [report.pk], {"assessments": [{"indicator": "SCP-01", "status": "on_track"}]}


def _api_open(report: Report | None) -> tuple[list[Any], dict[str, Any]]:
    assert report is not None
    return [], {"unit": report.province_id, "year": 2024}


def _api_export(report: Report | None) -> tuple[list[Any], dict[str, Any]]:
    return ["values", "csv"], {}


MATRIX: dict[str, Case] = {
    "home": Case("GET", _plain(), ALL),
    "province-list": Case("GET", _plain(), ALL),
    "province-detail": Case(
        "GET", lambda r: ([province_for_code_in_year(code="06", year=2024).pk], {}), ALL
    ),
    "document-detail": Case(
        "GET", lambda r: ([Document.objects.get(number="405/KH-UBND").pk], {}), ALL
    ),
    "indicator-detail": Case("GET", _plain("BK-NLTT-CS"), ALL),
    "source-detail": Case("GET", _plain("004_6edeba63036783fe.txt"), ALL),
    "set_language": Case("POST", lambda r: ([], {"language": "en", "next": "/"}), ALL),
    "login": Case("GET", _plain(), ALL),
    "logout": Case("POST", _plain(), ALL),
    "report-list": Case("GET", _plain(), ALL),
    "reporting-status": Case("GET", _plain(), MINISTRY_ONLY),
    "report-open": Case("POST", _open, OFFICER_WRITES, targets=("own", "other")),
    "report-detail": Case("GET", _report, OWN_DRAFT_READERS, targets=("own", "other", "public")),
    "report-edit": Case("GET", _report, OFFICER_WRITES, state="draft", targets=("own", "other")),
    "report-submit": Case("POST", _report, OFFICER_WRITES, state="draft", targets=("own", "other")),
    "report-approve": Case(
        "POST", _report, REVIEWER_WRITES, state="submitted", targets=("own", "other")
    ),
    "report-return": Case(
        "POST", _report, REVIEWER_WRITES, state="submitted", targets=("own", "other")
    ),
    "report-assess": Case(
        "POST", _assessment, REVIEWER_WRITES, state="submitted", targets=("own", "other")
    ),
    "report-reopen": Case(
        "POST",
        _report,
        {
            **REVIEWER_WRITES,
            # Approved reports are public, so everyone may know they exist; still only the
            # ministry may reopen one.
            "officer_hanoi": {"own": "404", "other": "404"},
        },
        state="approved",
        targets=("own", "other"),
    ),
    "report-template": Case(
        "GET", _template, OFFICER_WRITES, state="draft", targets=("own", "other")
    ),
    "report-unit-template": Case(
        "GET",
        lambda r: ([], {"province": r.province_id, "year": r.year, "format": "csv"}),  # type: ignore[union-attr]
        OFFICER_WRITES,
        targets=("own", "other"),
    ),
    "report-import": Case("GET", _plain(), OFFICERS_ONLY),
    # A batch is its uploader's alone: anyone else, the ministry included, gets 404.
    "report-import-preview": Case(
        "GET", _batch, OFFICER_WRITES, state="draft", targets=("own", "other")
    ),
    "report-import-apply": Case(
        "POST", _batch, OFFICER_WRITES, state="draft", targets=("own", "other")
    ),
    "report-evidence": Case(
        "GET",
        _evidence,
        {
            "visitor": {"own": "404", "other": "404"},
            "officer_hanoi": {"own": "ok", "other": "404"},
            "reviewer": {"own": "ok", "other": "ok"},
            "analyst": {"own": "404", "other": "404"},
            "administrator": {"own": "ok", "other": "ok"},
        },
        state="draft",
        targets=("own", "other"),
        evidence=True,
    ),
    # Exports: what each role may see (tests/test_exports.py checks the rows themselves).
    "export": Case("GET", _api_export, ALL),
    "export reports": Case("GET", _plain("reports", "xlsx"), ALL),
    "export status": Case("GET", _plain("status", "csv"), API_MINISTRY_ONLY),
    "export-bundle": Case("GET", _plain(), ALL),
    "account-token": Case("GET", _plain(), LOGGED_IN),
    "account-token POST": Case("POST", lambda r: ([], {"action": "create"}), LOGGED_IN),
    "password_change": Case("GET", _plain(), LOGGED_IN),
    "password_change_done": Case("GET", _plain(), LOGGED_IN),
    "api-schema": Case("GET", _plain(), ALL),
    "api-docs": Case("GET", _plain(), ALL),
    "api-redoc": Case("GET", _plain(), ALL),
    "api:root": Case("GET", _plain(), ALL, api=True),
    "api:unit-list": Case("GET", _plain(), ALL, api=True),
    "api:unit-detail": Case(
        "GET", lambda r: ([province_for_code_in_year(code="06", year=2024).pk], {}), ALL, api=True
    ),
    "api:document-list": Case("GET", _plain(), ALL, api=True),
    "api:document-detail": Case(
        "GET", lambda r: ([Document.objects.get(number="405/KH-UBND").pk], {}), ALL, api=True
    ),
    "api:indicator-list": Case("GET", _plain(), ALL, api=True),
    "api:indicator-detail": Case("GET", _plain("BK-NLTT-CS"), ALL, api=True),
    "api:target-list": Case("GET", _plain(), ALL, api=True),
    "api:value-list": Case("GET", _plain(), ALL, api=True),
    "api:progress-list": Case("GET", _plain(), ALL, api=True),
    "api:reporting-status": Case("GET", _plain(), API_MINISTRY_ONLY, api=True),
    "api:report-list": Case("GET", _plain(), ALL, api=True),
    "api:report-list POST": Case(
        "POST", _api_open, API_OFFICER_WRITES, targets=("own", "other"), api=True
    ),
    "api:report-detail": Case(
        "GET", _report, API_READERS, targets=("own", "other", "public"), api=True
    ),
    "api:report-values": Case(
        "PUT", _values, API_OFFICER_WRITES, state="draft", targets=("own", "other"), api=True
    ),
    "api:report-values PATCH": Case(
        "PATCH", _values, API_OFFICER_WRITES, state="draft", targets=("own", "other"), api=True
    ),
    "api:report-submit": Case(
        "POST", _report, API_OFFICER_WRITES, state="draft", targets=("own", "other"), api=True
    ),
    "api:report-approve": Case(
        "POST", _report, API_REVIEWER_WRITES, state="submitted", targets=("own", "other"), api=True
    ),
    "api:report-return": Case(
        "POST", _report, API_REVIEWER_WRITES, state="submitted", targets=("own", "other"), api=True
    ),
    "api:report-reopen": Case(
        "POST",
        _report,
        {**API_REVIEWER_WRITES, "officer_hanoi": {"own": "404", "other": "404"}},
        state="approved",
        targets=("own", "other"),
        api=True,
    ),
    "api:report-assessments": Case(
        "POST",
        _api_assessment,
        API_REVIEWER_WRITES,
        state="submitted",
        targets=("own", "other"),
        api=True,
    ),
    "api:import-list": Case(
        "POST", _api_upload, {**OFFICERS_ONLY, "visitor": "401"}, api=True, upload=True
    ),
    # An upload is its uploader's alone, over the API as on the pages.
    "api:import-detail": Case(
        "GET", _api_batch, API_OFFICER_WRITES, state="draft", targets=("own", "other"), api=True
    ),
    "api:import-apply": Case(
        "POST", _api_batch, API_OFFICER_WRITES, state="draft", targets=("own", "other"), api=True
    ),
}


def _names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXEMPT:
                continue
            names |= _names(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_is_in_the_matrix() -> None:
    assert _names(get_resolver().url_patterns) == {key.split()[0] for key in MATRIX}


def _target_report(target: str, state: str, with_evidence: bool) -> Report | None:
    if not target:
        return None
    if target == "public":
        return Report.objects.get(province__code="06", year=2022)
    province = province_for_code_in_year(code="01" if target == "own" else "19", year=2025)
    report = Report.objects.create(province=province, year=2025, status=state or "draft")
    value = ReportedValue(
        report=report, indicator=Indicator.objects.get(code="SCP-07"), value=90, source="t"
    )
    if with_evidence:
        value.evidence_file = SimpleUploadedFile("e.pdf", b"%PDF-1.4")  # type: ignore[assignment]
    value.save()
    return report


CASES = [
    pytest.param(name, role, target, id=f"{name}-{role}{'-' + target if target else ''}")
    for name, case in MATRIX.items()
    for role in ROLES
    for target in case.targets
]


@pytest.mark.parametrize(("name", "role", "target"), CASES)
def test_role_may_or_may_not(name: str, role: str, target: str, people, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    case = MATRIX[name]
    report = _target_report(target, case.state, case.evidence)
    args, data = case.request(report)
    expected = case.expect[role][target] if target else case.expect[role]
    client: Client = client_for(people[role])
    url = reverse(name.split()[0], args=args)
    if_match = data.pop("_if_match", None) or (f'"{report.version}"' if report else "")
    if case.upload:
        response = client.post(url, data)
    elif case.api:
        response = client.generic(
            case.method,
            url,
            json.dumps(data) if case.method != "GET" else "",
            content_type="application/json",
            HTTP_IF_MATCH=if_match,
        )
    else:
        response = client.get(url, data) if case.method == "GET" else client.post(url, data)
    location = response.get("Location", "")
    if case.api and expected == "ok":
        assert response.status_code in {200, 201}, (response.status_code, response.content[:300])
    elif expected == "401":
        assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    elif expected == "404":
        assert response.status_code == 404, (response.status_code, location)
    elif expected == "login":
        assert response.status_code == 302 and location.startswith(reverse("login")), location
    else:
        assert response.status_code in {200, 302}, response.status_code
        assert not location.startswith(reverse("login")), location


def test_hanoi_officer_cannot_reach_any_draft_of_another_unit_by_guessing_ids(people) -> None:  # type: ignore[no-untyped-def]
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    bac_kan = province_for_code_in_year(code="06", year=2024)
    drafts = [
        Report.objects.create(province=thai_nguyen, year=2025),
        Report.objects.create(province=bac_kan, year=2024, status="returned"),
        Report.objects.create(province=None, year=2025),
    ]
    client = client_for(people["officer_hanoi"])
    highest = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    visible = {
        pk
        for pk in range(1, highest + 2)
        if client.get(reverse("report-detail", args=[pk])).status_code == 200
    }
    assert not visible & {d.pk for d in drafts}
    for draft in drafts:
        assert client.get(reverse("report-edit", args=[draft.pk])).status_code == 404
        for name in ["report-submit", "report-approve", "report-return", "report-reopen"]:
            assert client.post(reverse(name, args=[draft.pk]), {"reason": "x"}).status_code == 404
    assert [
        d.status for d in Report.objects.filter(pk__in=[d.pk for d in drafts]).order_by("pk")
    ] == [
        "draft",
        "returned",
        "draft",
    ]


def test_hanoi_officer_cannot_reach_any_draft_of_another_unit_through_the_api(people) -> None:  # type: ignore[no-untyped-def]
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    bac_kan = province_for_code_in_year(code="06", year=2024)
    drafts = [
        Report.objects.create(province=thai_nguyen, year=2025),
        Report.objects.create(province=bac_kan, year=2024, status="returned"),
        Report.objects.create(province=None, year=2025),
    ]
    for draft in drafts:
        ReportedValue.objects.create(
            report=draft, indicator=Indicator.objects.get(code="SCP-07"), value=1, note="secret"
        )
    client = client_for(people["officer_hanoi"])
    highest = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    visible = {
        pk
        for pk in range(1, highest + 2)
        if client.get(reverse("api:report-detail", args=[pk])).status_code == 200
    }
    assert not visible & {d.pk for d in drafts}
    listed = client.get(reverse("api:value-list"), {"page_size": 1000}).json()["results"]
    assert not {row["report"] for row in listed} & {d.pk for d in drafts}
    assert b"secret" not in b"".join(
        client.get(reverse("export", args=["values", "csv"])).streaming_content
    )
    for draft in drafts:
        tag = {"HTTP_IF_MATCH": f'"{draft.version}"'}
        body = json.dumps({"values": [{"indicator": "SCP-07", "value": "2"}]})
        for method in ["PUT", "PATCH"]:
            url = reverse("api:report-values", args=[draft.pk])
            response = client.generic(method, url, body, content_type="application/json", **tag)
            assert response.status_code == 404
        for name in ["submit", "approve", "return", "reopen"]:
            url = reverse(f"api:report-{name}", args=[draft.pk])
            response = client.post(url, {"reason": "x"}, content_type="application/json", **tag)
            assert response.status_code == 404
    assert set(ReportedValue.objects.filter(report__in=drafts).values_list("value", flat=True)) == {
        1
    }
