"""Phase 2c: core/texts.py (l. numbers at 9c9eeef, runs fixed at 3ad1522) split by capability, mechanically.
First/last symbol of each run, in file order; every symbol between them goes to that module.
Run split_texts (below) to cut the file, then rewrite_imports.py moves_texts.py --apply."""
import ast
import os
import pathlib
import subprocess

RUNS = [  # (first symbol, last symbol, target module)
    ("BUTTON_CLAIM", "HOME_AGENTS_ONLY", "core.tickets.texts"),           # ticket buttons, desk refusals
    ("DELIVERY_EMOJI", "unreadable", "core.delivery.texts"),               # delivery marks, failures, media
    ("previous_ticket", "reaction", "core.tickets.texts"),                 # how inbound kinds read
    ("COMMANDS_HEADER", "unknown_subcommand", "core.tickets.texts"),       # /suporte router words
    ("CUSTOMER_LINKED", "telegram_address", "core.customers.texts"),
    ("BUTTON_ESCALATE", "BUTTON_ESCALATE", "core.escalation.texts"),
    ("BUTTON_WAITING", "AUTO_CLOSED_NOTE", "core.tickets.texts"),          # status buttons, auto-close
    ("ESCALATE_TITLE", "reopened_note", "core.escalation.texts"),
    ("sla_warning", "sla_breach_in_channel", "core.sla.texts"),
    ("moment", "WEEKDAYS", "core.common.ptbr"),                            # dates: the one formatter
    ("RISK_MARKS", "due_phrase", "core.queue.texts"),
    ("percent", "decimal", "core.common.ptbr"),                            # numbers
    ("target_line", "NO_TICKETS", "core.queue.texts"),
    ("BUTTON_TEMPLATE", "template_bad_placeholder", "core.templates.texts"),
    ("IDEA_PREFIX", "idea_delivered_note", "core.backlog.texts"),
    ("HELP_LGPD", "lgpd_erased", "core.privacy.texts"),
    ("ai_reason", "customer_after_hours", "core.ai.texts"),
    ("CSAT_QUESTION", "nps_received", "core.feedback.texts"),
    ("BUTTON_KB_PUBLISH", "kb_faq_draft", "core.kb.texts"),
    ("INVESTIGATE_SLOW_AI", "no_known_solution", "core.kb.texts"),         # solutions (core/kb/solutions.py)
    ("QA_BUTTON", "qa_trigger", "core.feedback.texts"),
]


def _source() -> str:
    """core/texts.py as it is, or as HEAD has it once split_texts.py has cut it."""
    path = pathlib.Path("core/texts.py")
    if path.exists():
        return path.read_text()
    return subprocess.run(["git", "show", f"{_rev()}:core/texts.py"], capture_output=True, text=True, check=True).stdout


def _rev() -> str:
    """TEXTS_REV, or the last commit that still has core/texts.py (the parent of the split)."""
    if "TEXTS_REV" in os.environ:
        return os.environ["TEXTS_REV"]
    gone = subprocess.run(["git", "rev-list", "-1", "HEAD", "--", "core/texts.py"], capture_output=True, text=True,
                          check=True).stdout.strip()
    if not gone or pathlib.Path("core/texts.py").exists():
        return "HEAD"
    there = subprocess.run(["git", "cat-file", "-e", f"{gone}:core/texts.py"], capture_output=True).returncode == 0
    return gone if there else f"{gone}^"  # HEAD has not committed the split yet, or it has


def table() -> dict[str, str]:
    names = []
    for n in ast.parse(_source()).body:
        if isinstance(n, (ast.FunctionDef, ast.ClassDef)):
            names.append(n.name)
        elif isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name):
            names.append(n.targets[0].id)
        elif isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name):
            names.append(n.target.id)
    out, i = {}, 0
    for first, last, module in RUNS:
        if first not in names:  # moved out already (step 3 takes moment/WEEKDAYS/percent/decimal)
            continue
        assert names[i] == first, (names[i], first)  # fails loudly if main added or moved a text
        while True:
            out[names[i]] = module
            i += 1
            if names[i - 1] == last:
                break
    assert i == len(names), names[i:]
    return out


OPT_OUT = ("OPTED_OUT", "OPTED_BACK_IN", "opted_out_note", "opted_back_in_note")
"""core/journeys/texts.py (ex outreach_texts) gives its opt-out lines to core/customers/texts.py."""


def journeys_table() -> dict[str, str]:
    src = subprocess.run(["git", "show", f"{_rev()}:core/journeys/texts.py"], capture_output=True, text=True, check=True).stdout
    names = {n.name for n in ast.parse(src).body if isinstance(n, ast.FunctionDef)}
    names |= {n.targets[0].id for n in ast.parse(src).body if isinstance(n, ast.Assign)}
    return {name: "core.journeys.texts" for name in names} | {name: "core.customers.texts" for name in OPT_OUT}


MODULES: dict = {}
SYMBOLS = {"core.texts": table(), "core.journeys.texts": journeys_table()}
ATTR_SPLITS = {
    "core.texts": ("texts", SYMBOLS["core.texts"]),
    "core.journeys.texts": ("texts", SYMBOLS["core.journeys.texts"]),
}
