SOURCE = "core/crisis/service.py"
HOMES = {"core.crisis.model": ["CrisisDraft", "Crisis", "AudiencePreview"]}
