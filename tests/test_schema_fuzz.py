"""The schema tells the truth: schemathesis fuzzes every operation of ``/api/schema/`` against the app in-process.

Every operation, as headquarters and as a district officer, with a fixed number of examples drawn derandomized (the
same cases on every run): no 5xx, every body matches its documented schema, every status code is documented.
"""

from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
EXAMPLES_PER_OPERATION = 12

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,  # the seed is fixed: the same cases every run, on every machine
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # report what failed; shrinking would only cost time here
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
)


@pytest.fixture
def in_process_app(db):
    """The WSGI app, called inside the test's transaction: like Django's test client, keep the connection open
    between requests (``close_old_connections`` would end the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("username", ["hq", "officer-pingcheng"])
def test_every_operation_answers_as_the_schema_says(city, in_process_app, username):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", in_process_app)
    user = city[username]
    key = Token.objects.create(user=user).key
    headers = {"Authorization": f"Token {key}"}
    failures, answered = [], Counter()

    for result in schema.get_all_operations():
        operation = result.ok()

        @FUZZ_SETTINGS
        @given(case=operation.as_strategy())
        def fuzz(case):
            # auth/token/revoke/ (and a password change) end the token: every case starts signed in again
            Token.objects.get_or_create(key=key, defaults={"user": user})
            response = case.call(headers=headers)
            answered[response.status_code // 100] += 1
            case.validate_response(response, checks=CHECKS)

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis' FailureGroup: collected, reported below
            failures.append(f"{operation.label}: {_summary(failure)}")

    assert not failures, f"{len(failures)} operations fail as {username}:\n\n" + "\n\n".join(failures)
    # Most generated input is refused (400, 404); enough must get through that the 2xx shapes are checked too.
    assert answered[2] * 10 >= sum(answered.values()), f"too few answers got through: {dict(answered)}"


def _summary(failure: Exception) -> str:
    """Each check that failed, with its message and how to reproduce it — without the tracebacks."""
    parts = getattr(failure, "exceptions", None) or [failure]
    notes = "\n".join(getattr(failure, "__notes__", []))
    return "\n".join(f"  {type(part).__name__}: {part}" for part in parts) + (f"\n{notes}" if notes else "")
