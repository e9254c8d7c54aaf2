"""The playbook's crisis scenarios (values in :mod:`core.crisis.model`) and how settings may change them.

``support_crisis_scenarios`` in the playbook gives each scenario a response time, the
stakeholders to call and, for a platform outage, ``sla_adjustment: suspend_normal_slas``.
Those are the defaults; ``CRISIS_SCENARIOS`` (JSON) may change any of them per scenario.
"""

from __future__ import annotations

import json
from dataclasses import replace

from core.crisis.model import Scenario

SCENARIOS: dict[str, Scenario] = {
    s.key: s
    for s in (
        Scenario("platform_outage", 0, ("cto", "ceo", "support_team", "customer_success"), suspend_sla=True),
        Scenario("ai_service_degradation", 15, ("ai_team", "support_team", "product_manager")),
        Scenario("billing_system_failure", 30, ("finance_team", "support_team", "legal")),
        Scenario("data_privacy_incident", 0, ("dpo", "security_team", "legal", "ceo")),
    )
}


def configured(overrides: str) -> dict[str, Scenario]:
    """The scenarios with ``CRISIS_SCENARIOS`` applied, e.g.
    ``{"ai_service_degradation": {"response_minutes": 10, "suspend_sla": true}}``.

    Raises ValueError naming what is wrong, so a bad setting stops the start with a clear line.
    """
    if not overrides.strip():
        return dict(SCENARIOS)
    try:
        table = json.loads(overrides)
    except ValueError as error:
        raise ValueError(f"not JSON: {error}") from error
    if not isinstance(table, dict):
        raise ValueError('expected an object like {"platform_outage": {"response_minutes": 0}}')
    scenarios = dict(SCENARIOS)
    for key, fields in table.items():
        if key not in scenarios:
            raise ValueError(f"unknown scenario {key!r} (known: {', '.join(SCENARIOS)})")
        if not isinstance(fields, dict) or not set(fields) <= {
            "response_minutes",
            "stakeholders",
            "suspend_sla",
        }:
            raise ValueError(f"{key}: only response_minutes, stakeholders and suspend_sla can be set")
        changed = scenarios[key]
        if "response_minutes" in fields:
            minutes = fields["response_minutes"]
            if not isinstance(minutes, int) or minutes < 0:
                raise ValueError(f"{key}.response_minutes must be a whole number of minutes, 0 or more")
            changed = replace(changed, response_minutes=minutes)
        if "stakeholders" in fields:
            names = fields["stakeholders"]
            if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
                raise ValueError(f"{key}.stakeholders must be a list of names")
            changed = replace(changed, stakeholders=tuple(names))
        if "suspend_sla" in fields:
            if not isinstance(fields["suspend_sla"], bool):
                raise ValueError(f"{key}.suspend_sla must be true or false")
            changed = replace(changed, suspend_sla=fields["suspend_sla"])
        scenarios[key] = changed
    return scenarios


def stakeholder_groups(setting: str) -> dict[str, str]:
    """``CRISIS_STAKEHOLDER_GROUPS``: stakeholder name -> Slack user group id, e.g. ``{"cto": "S01"}``."""
    if not setting.strip():
        return {}
    try:
        table = json.loads(setting)
    except ValueError as error:
        raise ValueError(f"not JSON: {error}") from error
    if not isinstance(table, dict) or not all(isinstance(v, str) and v for v in table.values()):
        raise ValueError('expected an object like {"cto": "S0123ABC", "support_team": "S0456DEF"}')
    return {str(k): v for k, v in table.items()}
