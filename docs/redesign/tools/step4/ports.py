SOURCE = "core/ports.py"
HOMES = {
    "core.common.clock": ["Clock"],
    "core.common.journal": ["Journal"],
    "core.customers.ports": ["Customers"],
    "core.journeys.ports": ["JourneyRecords"],
    "core.tickets.ports": ["Tickets", "Messages"],
    "core.ai.ports": ["AiRecords", "LanguageModel"],
    "core.escalation.ports": ["Escalations"],
    "core.sla.ports": ["SlaTimers"],
    "core.queue.ports": ["HomeViewers", "QueueReader", "HomeScreen"],
    "core.templates.ports": ["Templates"],
    "core.backlog.ports": ["Ideas"],
    "core.feedback.ports": ["Surveys", "Reviews"],
    "core.kb.ports": ["KbCandidates", "KnowledgeBase", "Embedder", "ArticleStore", "ReviewBoard"],
    "core.broadcast.ports": ["BroadcastRecords", "BroadcastSends", "BroadcastBoard"],
    "core.crisis.ports": ["CrisisRecords", "CrisisBoard"],
    "core.unit_of_work": ["Transaction", "Store"],
    "core.delivery.ports": ["AgentDesk", "CustomerChannel"],
    "core.privacy.ports": ["PersonalDataStore"],
}
DOCS = {
    "core.common.clock": "Injected time: every use case asks a Clock, so timers are testable without sleeping.",
    "core.common.journal": "The port every use case writes through: idempotency keys, outbox effects, audit events.",
    "core.customers.ports": "What the customers capability needs from storage.",
    "core.journeys.ports": "What the journeys need from storage.",
    "core.tickets.ports": "What tickets and their messages need from storage.",
    "core.ai.ports": "What the AI core needs from outside: its records in storage, and a language model.",
    "core.escalation.ports": "What escalation needs from storage.",
    "core.sla.ports": "What the SLA clock needs from storage.",
    "core.queue.ports": "What the agents' queue needs: its read model, and a screen to draw each agent's home on.",
    "core.templates.ports": "What response templates need from storage.",
    "core.backlog.ports": "What the feature backlog needs from storage.",
    "core.feedback.ports": "What surveys and QA reviews need from storage.",
    "core.kb.ports": "What the knowledge base needs: an index to search, an article store, embeddings, a review board.",
    "core.broadcast.ports": "What the broadcast engine needs: its records, its send ledger, a board for progress.",
    "core.crisis.ports": "What crises need: their records, and a board in the crisis channel.",
    "core.unit_of_work": (
        "One unit of work over every capability's port: storage keeps one transaction, use cases ask for\n"
        "the narrow ports they use (each capability's ``ports.py``)."
    ),
    "core.delivery.ports": "Where effects go out: the agents' desk (Slack) and the customer's channel (WhatsApp, Telegram).",
    "core.privacy.ports": "What LGPD requests need from storage: find, export, erase and expire a customer's data.",
}
