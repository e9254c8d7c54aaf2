"""Step 4: the crisis message's placeholder to crisis/model.py, sentiment() to ai/sentiment.py (two cycles)."""
SYMBOLS = {
    "core.crisis.texts": {"DESCRIPTION_MARK": "core.crisis.model", "message_for": "core.crisis.model"},
    "core.ai.offline": {"sentiment": "core.ai.sentiment"},
}
