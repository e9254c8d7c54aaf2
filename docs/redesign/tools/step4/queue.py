SOURCE = "core/queue/agent_queue.py"
HOMES = {"core.queue.model": [
    "TIER1_FCR_TARGET", "TIER1_ESCALATION_TARGET", "TIER2_WITHIN", "TIER2_WITHIN_TARGET", "TIER2_CSAT_TARGET",
    "Risk", "QueueItem", "TierRows", "TierFigures", "CustomerCard", "HomeView"]}
DOCS = {"core.queue.model": "An agent's queue and home: items, risk and the tier figures (values only)."}
