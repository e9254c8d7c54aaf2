"""Step 4: cut core/ports.py's Transaction into one protocol per storage repository, in place.

Each method moves whole (signature and docstring: the docstrings are the contract) into the port
named after the repository that implements it (storage/sqlite/<x>.py class Sqlite<Port>); the
composite ``Transaction`` then inherits them all. split_module.py moves the classes afterwards.
"""
import ast
import pathlib

DOCS = {
    "Journal": "What every use case records: idempotency keys, the effects to run after commit, the audit trail.",
    "Customers": "Customer records and the addresses (phone, chat id) that lead to them.",
    "JourneyRecords": "What the proactive journeys read, and the ledger that sends each journey message once.",
    "Tickets": "Tickets: opened, found by customer or thread, moved between customers, saved.",
    "Messages": "A ticket's messages: added, found by platform id, and their delivery state.",
    "AiRecords": "What the AI core keeps: triages, model calls, drafts, and the history it learns from.",
    "Escalations": "Escalations, and the context an escalation notice shows.",
    "SlaTimers": "The stored SLA clocks of tickets, and the crisis pause over them.",
    "HomeViewers": "Who has opened the App Home, so their home is redrawn when the queue moves.",
    "Templates": "The saved answers agents pick from.",
    "Ideas": "Feature ideas and who asked for them, so each customer is told when theirs ships.",
    "Surveys": "CSAT and NPS surveys: sent, waiting, answered.",
    "Reviews": "QA reviews: the sampled interactions queued for review and their scores.",
    "KbCandidates": "Proposed help articles waiting for a person, and the questions that proposed them.",
    "BroadcastRecords": "A broadcast, its recipients and its progress.",
    "BroadcastSends": "The claim, send and record steps that make each broadcast message go out exactly once.",
    "CrisisRecords": "Declared crises, the draft waiting for confirmation, and who a crisis reaches.",
}
ORDER = list(DOCS)

ports = pathlib.Path("core/ports.py")
src = ports.read_text()
lines = src.splitlines()
tree = ast.parse(src)
tx = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Transaction")
methods = [f for f in tx.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
owner = {}
for path in pathlib.Path("storage/sqlite").glob("*.py"):
    for c in ast.parse(path.read_text()).body:
        if isinstance(c, ast.ClassDef) and c.name.removeprefix("Sqlite") in DOCS:
            for f in c.body:
                if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    owner[f.name] = c.name.removeprefix("Sqlite")
body: dict[str, list[str]] = {name: [] for name in ORDER}
for f in methods:
    first = min([f.lineno] + [d.lineno for d in f.decorator_list])
    chunk = lines[first - 1 : f.end_lineno]
    body[owner[f.name]].append("\n".join(chunk))
classes = []
for name in ORDER:
    assert body[name], name
    classes.append(f'class {name}(Protocol):\n    """{DOCS[name]}"""\n\n' + "\n\n".join(body[name]))
tx_doc = ast.get_docstring(tx)
composite = (
    "class Transaction(\n" + "".join(f"    {n},\n" for n in ORDER) + "    Protocol,\n):\n"
    f'    """{tx_doc}"""\n'
)
start = min([tx.lineno] + [d.lineno for d in tx.decorator_list])
new = lines[: start - 1] + ["\n\n".join(classes) + "\n\n\n" + composite] + lines[tx.end_lineno :]
ports.write_text("\n".join(new) + "\n")
print({n: len(body[n]) for n in ORDER}, sum(len(v) for v in body.values()))
