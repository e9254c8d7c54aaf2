SOURCE = "core/ai/offline.py"
HOMES = {"core.ai.sentiment": ["_CAPS_WORD", "sentiment"]}
DOCS = {"core.ai.sentiment": "The lexicon's sentiment of a message: one of the triage model's features and the offline AI's mood."}
