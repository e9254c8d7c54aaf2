SOURCE = "core/models.py"
HOMES = {
    "core.customers.model": ["Channel", "Customer"],
    "core.tickets.model": [
        "TicketStatus", "Direction", "MessageKind", "MEDIA_KINDS", "DeliveryState", "_DELIVERY_RANK",
        "FailureReason", "Attachment", "InboundMessage", "DeliveryUpdate", "Ticket", "Message", "FileData",
        "FileInfo", "TicketView", "Choice",
    ],
    "core.kb.model": ["ArticleHit"],
    "core.escalation.model": ["Escalation"],
    "core.templates.model": ["ResponseTemplate"],
    "core.backlog.model": ["Idea", "IdeaRequest", "IdeaTally"],
    "core.ai.model": ["DraftView"],
    "core.feedback.model": ["SurveyKind", "SurveyState", "Survey", "InteractionFacts", "QaReview"],
}
DOCS = {
    "core.customers.model": "Who writes to the desk: a customer and the channel they write on (values only).",
    "core.tickets.model": "Tickets, their messages and files, and how a message travels (values only).",
    "core.kb.model": "Help articles, proposals for new ones and search hits (values only).",
    "core.escalation.model": "An escalation and what the AI concluded before it (values only).",
    "core.templates.model": "The saved answers agents pick from (values only).",
    "core.backlog.model": "Feature ideas customers asked for, and their tally (values only).",
    "core.feedback.model": "CSAT and NPS surveys and QA reviews (values only).",
}
