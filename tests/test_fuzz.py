"""Property-based fuzzing of every HTTP endpoint: never a server error, never a row from an unsigned request,
never a live mention, broadcast, link or invisible control in Slack from a customer's text.

A short run here; ``python -m bench.fuzz`` runs the same properties for 10,000+ cases.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings

from tests.hostile import MAX_BODY, FuzzTarget, Request, any_request, customer_text_requests

CASES = 300


@pytest.fixture(scope="module")
def target() -> Iterator[FuzzTarget]:
    with FuzzTarget() as running:
        yield running


def check(target: FuzzTarget, request: Request) -> None:
    """The properties every request must keep, whatever it carries."""
    before = target.stored_rows()
    status = target.send(request)
    assert status < 500, f"{request.method} {request.path} answered {status}"
    if not request.signed:
        assert status != 200 or request.method == "GET", "an unsigned request was accepted"
        assert target.stored_rows() == before, "an unsigned request stored something"
    if request.customer_text:
        assert status == 200 or len(request.body) > MAX_BODY, f"a signed customer message got {status}"
        assert target.slack_leaks() == [], "customer text became Slack markup"


@settings(max_examples=CASES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(request=any_request)
def test_no_request_causes_a_server_error_or_stores_without_a_signature(
    target: FuzzTarget, request: Request
) -> None:
    check(target, request)


@settings(max_examples=CASES // 3, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(request=customer_text_requests)
def test_customer_text_never_becomes_slack_markup(target: FuzzTarget, request: Request) -> None:
    """Slack markup, bidi controls and oversize text in every field a customer controls."""
    check(target, request)
