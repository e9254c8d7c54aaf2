SOURCE = "core/escalation/tiers.py"
HOMES = {"core.escalation.model": ["Classification", "CustomerHistory"]}
