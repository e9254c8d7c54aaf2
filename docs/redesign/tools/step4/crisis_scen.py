SOURCE = "core/crisis/scenarios.py"
HOMES = {"core.crisis.model": ["CrisisStatus", "Severity", "Scenario"]}
DOCS = {"core.crisis.model": "A crisis, its scenario and the audience it reaches (values only)."}
