"""The house's floors, checked on every run: no import cycle, and imports only point down.

Reads the source with ``ast`` (nothing is imported), so TYPE_CHECKING and function-level imports
count too. import-linter (`.importlinter`, run by `.ci/run`) states the same floors as contracts."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "handlers", "storage", "bot", "testing", "tests", "bench")
DEMO = "bot.demo"


def _graph() -> dict[str, set[str]]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            modules[name] = path
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                    base = ".".join([*parts, base] if base else parts)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def _top(module: str) -> str:
    return module.split(".")[0]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in list(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


GRAPH = _graph()


def _violations(source: str, forbidden: set[str], allowed_from: tuple[str, ...] = ()) -> list[str]:
    return sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        if _top(module) == source and not module.startswith(allowed_from)
        for target in targets
        if _top(target) in forbidden
    )


def test_no_import_cycles() -> None:
    assert _cycles(GRAPH) == []


def test_core_imports_no_outer_floor() -> None:
    assert _violations("core", {"handlers", "storage", "bot", "testing", "tests", "bench"}) == []


def test_handlers_and_storage_keep_to_their_floor() -> None:
    assert _violations("handlers", {"storage", "bot", "testing", "tests", "bench"}) == []
    assert _violations("storage", {"handlers", "bot", "testing", "tests", "bench"}) == []


def test_production_never_imports_tests_and_only_the_demo_imports_testing() -> None:
    assert _violations("bot", {"tests", "bench"}) == []
    assert _violations("bot", {"testing"}, allowed_from=(DEMO,)) == []
    assert _violations("testing", {"tests", "bench", "bot", "handlers", "storage"}) == []


def test_ports_import_values_only() -> None:
    """A capability's ports.py (and the composite of them) imports only model modules, other ports
    and core.common: a port that imported a use case would close a cycle through it."""
    bad = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        if module.startswith("core.") and module.endswith((".ports", ".unit_of_work"))
        for target in targets
        if target.startswith("core.")
        and not target.startswith("core.common")
        and not target.endswith((".model", ".ports", ".schema"))
    )
    assert bad == []


SLACK_MARKUP = re.compile(r"(?<!\(\?)<[@#!]|<[^<>\s|]*\|[^<>]*>")
"""A Slack mention (``<@U1>``, ``<!subteam^S1>``, ``<!here>``), a channel (``<#C1>``) or a link
(``<https://x|label>``); not a regex's look-behind (``(?<!``)."""


def _literals(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal but docstrings; an f-string's literal parts joined around ``{}``."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    in_fstrings = {
        id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
    }
    skip = docstrings | in_fstrings
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(p.value if isinstance(p, ast.Constant) else "{}" for p in node.values)
            found.append((node.lineno, str(text)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found.append((node.lineno, node.value))
    return found


def test_slack_markup_is_written_only_in_handlers_slack() -> None:
    """The core is handed rendered mentions and links (``AgentDesk.mention_user``, ``link``...)."""
    written = sorted(
        f"{path.relative_to(ROOT)}:{line} {text!r}"
        for path in (ROOT / "core").rglob("*.py")
        for line, text in _literals(ast.parse(path.read_text(), str(path)))
        if SLACK_MARKUP.search(text)
    )
    assert written == []


PROTOCOL_METHODS = 25
MODULE_LINES = 500
TEXT_TABLES = ("texts.py", "lexicon.py")
"""pt-BR wording and the AI's word lists: long by nature, and read as tables, not as code."""


def _production_files() -> list[Path]:
    return [
        path
        for package in ("core", "handlers", "storage", "bot", "testing")
        for path in (ROOT / package).rglob("*.py")
    ]


def test_no_protocol_over_25_methods_but_the_composite() -> None:
    """Each use case asks for the small ports it uses; only core.unit_of_work.Transaction unites them."""
    large = sorted(
        f"{path.relative_to(ROOT)}: {node.name} ({count} methods)"
        for path in _production_files()
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.ClassDef)
        and any(ast.unparse(base).split("[")[0] in {"Protocol", "typing.Protocol"} for base in node.bases)
        and (count := sum(isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) for f in node.body))
        > PROTOCOL_METHODS
    )
    assert large == []


def test_no_module_over_500_lines_but_the_text_tables() -> None:
    long = sorted(
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in _production_files()
        if not path.name.endswith(TEXT_TABLES) and (lines := path.read_text().count("\n")) > MODULE_LINES
    )
    assert long == []
