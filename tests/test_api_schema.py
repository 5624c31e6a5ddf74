"""A bounded schemathesis run over the whole OpenAPI spec, with an API key and writes on.

Every operation gets generated requests, valid and invalid, in Orsa's partnership (with its
real record ids as well as made-up ones), from a key whose holder is samordnare, kommunpolis
and administratör. No answer may be a server error, and every status must be one the spec
documents for that operation.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from samtrygg.core import services
from samtrygg.core.dataio import system_actor
from samtrygg.core.models import Role
from tests import tenancy

pytestmark = pytest.mark.django_db

# Generated requests per operation (valid and invalid ones together); about 60 operations,
# which keeps the run well under two minutes on a 2-core machine.
EXAMPLES = 8


def _key(tenant: Any) -> str:
    user = tenant.user("samordnare")
    actor = system_actor(tenant.partnership)
    for role in (Role.KOMMUNPOLIS, Role.ADMINISTRATOR):
        services.add_membership(actor, user=user, organisation=tenant.organisation, role=role)
    return services.create_api_token(user, name="Schemathesis")[1]


def _real_id(path: str, tenant: Any) -> int | None:
    match = re.search(r"/([a-z-]+)/\{pk\}", path)
    if match is None or match.group(1) not in tenancy.API_IDS:
        return None
    return int(tenancy.API_IDS[match.group(1)](tenant))


def test_the_whole_spec_answers_without_server_errors_or_undocumented_statuses(
    orsa: Any, settings: Any
) -> None:
    import schemathesis
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    settings.API_THROTTLE_RATE = "1000000/s"
    raw = _key(orsa)
    for make in (tenancy._observation, tenancy._actions, tenancy._picture):
        make(orsa)  # records for the real ids
    # As Django's test client does: the request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        failures, operations, elapsed = _run_spec(schemathesis, get_wsgi_application(), raw, orsa)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert operations >= 50
    assert not failures, f"{len(failures)} fel:\n" + "\n".join(sorted(set(failures))[:40])
    print(f"schemathesis: {operations} operations in {elapsed:.0f} s")


def _run_spec(schemathesis: Any, app: Any, raw: str, orsa: Any) -> tuple[list[str], int, float]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi.checks import status_code_conformance

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {raw}"}
    failures: list[str] = []
    seen: list[int] = []
    started = time.monotonic()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        path = operation.path
        fixed: list[dict[str, Any]] = [{"code": "2034"}]
        real = _real_id(path, orsa)
        if real is not None:
            fixed.append({"code": "2034", "pk": real})
        strategy = st.one_of(
            *[
                operation.as_strategy(mode, path_parameters=params, headers=headers)
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
                for params in fixed
            ]
        )

        @given(case=strategy)
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            response = case.call(headers=headers)
            seen.append(response.status_code)
            try:
                case.validate_response(
                    response, checks=[not_a_server_error, status_code_conformance]
                )
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as error:  # a failure group: one report for the whole spec
                failures.append(
                    f"{case.operation.method.upper()} {case.operation.path} → "
                    f"{response.status_code}: "
                    f"{str(error).splitlines()[0]}\n    {case.as_curl_command(headers=headers)}"
                )

        run()
    assert {200, 201, 400, 404, 422} <= set(seen), sorted(set(seen))
    return failures, operations, time.monotonic() - started
