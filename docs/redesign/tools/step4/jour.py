SOURCE = "core/journeys/policy.py"
HOMES = {"core.journeys.model": ["CustomerFacts", "Announcement"]}
DOCS = {"core.journeys.model": "What the journeys read about a customer, and announced features (values only)."}
