"""Property-based test of the API against its own OpenAPI schema (Schemathesis).

For each role, every GET operation is called with generated parameters through the WSGI
application (no network), authenticated by the role's token; no answer may be a server
error, and every answer must have a documented status, content type and shape.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from provinces.selectors import province_for_code_in_year
from reports.models import ImportBatch, Report

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "officer_hanoi", "reviewer", "analyst"]
# 13 GET operations × 4 roles and 10 writes × 2 roles (half as many examples): about 35 s
# on SQLite and 45 s on PostgreSQL on the 2-core CI machine.
EXAMPLES = 50
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def app():  # type: ignore[no-untyped-def]
    """The WSGI application, minus the closing of connections after each request (as
    Django's test client does): on PostgreSQL it would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
def test_api_answers_as_its_schema_says_for_every_role(role, people, app) -> None:  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/", app, headers={"Accept": "application/vnd.oai.openapi+json"}
    ).include(method="GET")
    user = people[role]
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"} if user else {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def call(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        call()


@pytest.mark.parametrize("role", ["officer_hanoi", "reviewer"])
def test_api_writes_answer_as_the_schema_says(role, people, app) -> None:  # type: ignore[no-untyped-def]
    """Generated bodies and headers against the writes: refused with a documented status
    (400, 404, 412, 428) or accepted, never a server error."""
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/", app, headers={"Accept": "application/vnd.oai.openapi+json"}
    ).include(method=["POST", "PUT", "PATCH"])
    headers = {"Authorization": f"Token {Token.objects.create(user=people[role]).key}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10
    # A report the role may write to, so that generated bodies reach the validation.
    report = Report.objects.create(
        province=province_for_code_in_year(code="01", year=2025),
        year=2025,
        status=Report.Status.DRAFT if role == "officer_hanoi" else Report.Status.SUBMITTED,
    )
    # And an upload of the role's own, so that generated If-Match headers reach the apply.
    batch = ImportBatch.objects.create(
        uploaded_by=people[role],
        filename="ket-qua.csv",
        content=b"unit_code,indicator_code,year,value,qualifier,numerator,denominator,note,source\n"
        b"01,SCP-07,2025,91,,,,,\n",
    )
    for operation in operations:

        @settings(
            max_examples=EXAMPLES // 2,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def call(case) -> None:  # type: ignore[no-untyped-def]
            if case.path_parameters and "id" in case.path_parameters:
                imports = case.path.startswith("/api/v1/imports/")
                case.path_parameters["id"] = batch.pk if imports else report.pk
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        call()
