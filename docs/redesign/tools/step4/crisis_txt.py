SOURCE = "core/crisis/texts.py"
HOMES = {"core.crisis.model": ["DESCRIPTION_MARK", "message_for"]}
