"""Step 9: each use case asks for the narrow ports it uses (type hints only; mypy is the check).

For each module: a ``<Name>Tx`` protocol joining the ports it calls (found from the attribute names
of its ``tx`` uses), ``Transaction`` annotations replaced by it and ``Store`` by ``Store[<Name>Tx]``.
"""
import ast
import pathlib
import re

HOME = {
    "Journal": "core.common.journal", "Customers": "core.customers.ports", "JourneyRecords": "core.journeys.ports",
    "Tickets": "core.tickets.ports", "Messages": "core.tickets.ports", "AiRecords": "core.ai.ports",
    "Escalations": "core.escalation.ports", "SlaTimers": "core.sla.ports", "HomeViewers": "core.queue.ports",
    "Templates": "core.templates.ports", "Ideas": "core.backlog.ports", "Surveys": "core.feedback.ports",
    "Reviews": "core.feedback.ports", "KbCandidates": "core.kb.ports", "BroadcastRecords": "core.broadcast.ports",
    "BroadcastSends": "core.broadcast.ports", "CrisisRecords": "core.crisis.ports",
}
ORDER = list(HOME)
NAMES = {
    "core/ai/desk_posts.py": ("DeskPostsTx", "the AI's desk posts"),
    "core/ai/drafts.py": ("DraftsTx", "the AI's drafts"),
    "core/ai/responder.py": ("ResponderTx", "the AI responder"),
    "core/backlog/ideas.py": ("IdeasTx", "the feature backlog"),
    "core/broadcast/progress.py": ("ProgressTx", "a broadcast's progress card"),
    "core/broadcast/sender.py": ("SenderTx", "the broadcast sender"),
    "core/broadcast/service.py": ("BroadcastTx", "the broadcast engine"),
    "core/crisis/service.py": ("CrisisTx", "crisis management"),
    "core/customers/identity.py": ("IdentityTx", "linking a customer's addresses"),
    "core/customers/importer.py": ("ImportTx", "the customer import"),
    "core/customers/opt_out.py": ("OptOutTx", "opting out and back in"),
    "core/delivery/runner.py": ("DeliveryTx", "the outbox runner"),
    "core/delivery/status.py": ("StatusTx", "delivery receipts"),
    "core/escalation/notices.py": ("NoticeTx", "escalation notices"),
    "core/escalation/tiers.py": ("EscalationTx", "an escalation"),
    "core/feedback/qa.py": ("QaTx", "QA sampling and reviews"),
    "core/feedback/satisfaction.py": ("SurveyTx", "CSAT and NPS surveys"),
    "core/journeys/run.py": ("JourneyTx", "a journey run"),
    "core/kb/loop.py": ("KbLoopTx", "the knowledge base's review loop"),
    "core/reports/desk.py": ("ReportTx", "posting a report"),
    "core/sla/clock.py": ("SlaTx", "the SLA clock"),
    "core/templates/responses.py": ("TemplatesTx", "response templates"),
    "core/tickets/desk.py": ("DeskTx", "agents' actions on a ticket"),
    "core/tickets/intake.py": ("IntakeTx", "intake"),
}

method_port = {}
for port, home in HOME.items():
    path = pathlib.Path(*home.split(".")).with_suffix(".py")
    for c in ast.parse(path.read_text()).body:
        if isinstance(c, ast.ClassDef) and c.name == port:
            for f in c.body:
                if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    method_port[f.name] = port

for file, (name, what) in NAMES.items():
    path = pathlib.Path(file)
    src = path.read_text()
    tree = ast.parse(src)
    used = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr in method_port}
    ports = sorted({method_port[m] for m in used}, key=ORDER.index) or ["Journal"]
    body = re.sub(r"\bTransaction\b", name, src)
    body = re.sub(r"(?<![\w.])Store\b(?!\[)", f"Store[{name}]", body)
    body = body.replace(f"from core.unit_of_work import {name}, Store[{name}]", "from core.unit_of_work import Store")
    body = body.replace(f"from core.unit_of_work import Store[{name}], {name}", "from core.unit_of_work import Store")
    body = body.replace(f"from core.unit_of_work import Store[{name}]", "from core.unit_of_work import Store")
    body = body.replace(f"from core.unit_of_work import {name}\n", "")
    imports = "".join(f"from {HOME[p]} import {p}\n" for p in ports) + "from typing import Protocol\n"
    cls = f'\n\nclass {name}({", ".join(ports)}, Protocol):\n    """What {what} needs from a unit of work."""\n'
    t2 = ast.parse(body)
    last_import = max(n.end_lineno for n in t2.body if isinstance(n, (ast.Import, ast.ImportFrom)))
    # after the module's constants that follow the imports? keep it simple: right after the imports
    lines = body.splitlines()
    lines = lines[:last_import] + [imports.rstrip("\n"), cls] + lines[last_import:]
    path.write_text("\n".join(lines) + "\n")
    print(f"{file}: {name}({', '.join(ports)})")
