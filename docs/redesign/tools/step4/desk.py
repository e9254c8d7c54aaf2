SOURCE = "core/tickets/desk.py"
HOMES = {"core.tickets.model": ["Refusal", "ActionResult", "AgentReply"]}
