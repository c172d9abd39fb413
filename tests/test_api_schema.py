"""The OpenAPI schema documents every endpoint, validates, and raises no warning."""

import json
import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    captured = capsys.readouterr()
    assert "Warning" not in captured.err + captured.out
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {
        "/api/v1/units/",
        "/api/v1/values/",
        "/api/v1/progress/",
        "/api/v1/reporting-status/",
        "/api/v1/reports/{id}/values/",
        "/api/v1/reports/{id}/approve/",
        "/api/v1/reports/{id}/assessments/",
    } <= paths
    values = schema["paths"]["/api/v1/reports/{id}/values/"]
    assert {"put", "patch"} <= set(values)
    assert any(p["name"] == "If-Match" for p in values["put"]["parameters"])
    assess = schema["paths"]["/api/v1/reports/{id}/assessments/"]["post"]
    assert any(p["name"] == "If-Match" for p in assess["parameters"])
    assert {"200", "400", "404", "412", "428"} <= set(assess["responses"])
    body = assess["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/AssessmentsInRequest")
    assert set(schema["components"]["securitySchemes"]) == {"cookieAuth", "tokenAuth"}


def test_schema_and_docs_are_served_without_a_cdn(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("api-schema")).status_code == 200
    for name in ["api-docs", "api-redoc"]:
        page = client.get(reverse(name)).content.decode()
        assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
        # Swagger UI from the sidecar; Redoc from our copy of the sidecar's (vendor_redoc.py).
        assert "/static/drf_spectacular_sidecar/" in page or "/static/vendor/redoc." in page


def _schema_url_of(client, name: str, language: str) -> str:  # type: ignore[no-untyped-def]
    """The page at ``name`` for a reader of ``language``, checked to say so in its <html>,
    and the address it loads its schema from: Redoc's spec-url, or the url in the start-up
    script Swagger UI's page loads."""
    page = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}">' in page
    if name == "api-redoc":
        return re.search(r'<redoc spec-url="([^"]+)"', page)[1].replace("&amp;", "&")  # type: ignore[index]
    script = re.search(r'<script src="([^"]+\?script=[^"]*)"', page)[1].replace("&amp;", "&")  # type: ignore[index]
    body = client.get(script, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return json.loads(re.search(r'url: ("[^"]*")', body)[1])  # type: ignore[index]


@pytest.mark.parametrize("name", ["api-docs", "api-redoc"])
@pytest.mark.parametrize(
    ("language", "unit_filter", "other"),
    [("vi", "Mã số (id) của đơn vị.", "Id of a unit."), ("en", "Id of a unit.", "Mã số (id)")],
)
def test_the_docs_pages_say_their_language_and_load_the_schema_in_it(
    client, name: str, language: str, unit_filter: str, other: str
) -> None:  # type: ignore[no-untyped-def]
    """A screen reader reads the page in the voice of its lang: the descriptions must be in
    that language. The schema's address says it by itself, so a cache or another tab whose
    language differs cannot hand the page the other one."""
    schema = client.get(_schema_url_of(client, name, language)).content.decode()
    assert unit_filter in schema
    assert other not in schema


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        (
            "vi",
            {
                "ReportingStatusEnum": ["`none` - chưa có báo cáo", "`returned` - bị trả lại"],
                "ImportRowOutStatusEnum": ["`new` - giá trị mới", "`skipped` - bỏ qua (trống)"],
            },
        ),
        (
            "en",
            {
                "ReportingStatusEnum": ["`none` - no report", "`returned` - returned"],
                "ImportRowOutStatusEnum": ["`new` - new", "`skipped` - skipped (blank)"],
            },
        ),
    ],
)
def test_the_status_grid_and_import_row_statuses_are_described_in_the_schemas_language(
    client, language: str, labels: dict[str, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    """Their values were described by the values themselves ("none - none"), in English on
    the Vietnamese page; now as the status page and the import's preview label them."""
    response = client.get(
        reverse("api-schema"), {"lang": language}, HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    enums = response.json()["components"]["schemas"]
    for enum, lines in labels.items():
        assert {f"* {line}" for line in lines} <= set(enums[enum]["description"].splitlines())


def test_the_progress_schema_gives_no_id_and_names_the_key(client) -> None:  # type: ignore[no-untyped-def]
    """A progress figure's id changed with every full recompute, and the schema offered it
    as the row's identity: scripts keyed on it. The figure is known by its unit,
    indicator, year and origin, and its description says so."""
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    progress = response.json()["components"]["schemas"]["ProgressOut"]
    assert "id" not in progress["properties"] and "id" not in progress["required"]
    assert {"unit", "unit_code", "unit_valid_from", "indicator", "year", "origin"} <= set(
        progress["required"]
    )
    assert "no id" in progress["description"]
