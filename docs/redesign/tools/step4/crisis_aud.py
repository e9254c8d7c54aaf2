SOURCE = "core/crisis/audience.py"
HOMES = {"core.crisis.model": ["AudienceKind", "Audience"]}
