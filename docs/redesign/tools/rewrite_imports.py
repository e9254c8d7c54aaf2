"""Mechanical move of modules and symbols for issue 19.

    python3 rewrite_imports.py MOVES.py [--apply] [--roots core handlers storage bot tests bench testing]

MOVES.py defines:
  MODULES = {"old.module": "new.module", ...}        # whole modules (and packages, by prefix)
  SYMBOLS = {"old.module": {"Name": "new.module"}}   # split modules: each symbol's new home
  ATTR_SPLITS = {"core.texts": ("texts", {"NAME": "core.tickets.texts", ...})}
     # modules used as `from core import texts` + `texts.NAME`: rewrites the attribute uses
Without --apply it prints the `git mv` lines and a diff summary; with --apply it rewrites the files
(run `ruff check --select I,F401 --fix` afterwards to sort and drop duplicates).
Rewrites every `from X import ...` and `import X` at any depth (TYPE_CHECKING and function bodies too).
"""
from __future__ import annotations

import ast
import pathlib
import re
import runpy
import sys


_DEFINED: dict[str, set[str]] = {}


def defined(module: str) -> set[str]:
    """Top-level names of a module as it is on disk now (after the git mv), submodules included."""
    if module not in _DEFINED:
        path = pathlib.Path(*module.split("."))
        names: set[str] = set()
        file = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        if path.is_dir():
            names |= {p.stem for p in path.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
        if file.exists():
            for n in ast.parse(file.read_text()).body:
                if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(n.name)
                elif isinstance(n, ast.Assign):
                    names |= {t.id for t in n.targets if isinstance(t, ast.Name)}
                elif isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name):
                    names.add(n.target.id)
                elif isinstance(n, (ast.Import, ast.ImportFrom)):
                    names |= {(a.asname or a.name).split(".")[0] for a in n.names}
        _DEFINED[module] = names
    return _DEFINED[module]


def already_new(mod: str, modules: dict[str, str]) -> bool:
    return any(mod == n or mod.startswith(n + ".") for n in modules.values())


def target_module(mod: str, modules: dict[str, str]) -> str:
    if already_new(mod, modules):
        return mod
    if mod in modules:
        return modules[mod]
    for old, new in sorted(modules.items(), key=lambda kv: -len(kv[0])):
        if mod.startswith(old + "."):
            return new + mod[len(old):]
    return mod


def rewrite(path: pathlib.Path, cfg: dict) -> str | None:
    modules, symbols, splits = cfg.get("MODULES", {}), cfg.get("SYMBOLS", {}), cfg.get("ATTR_SPLITS", {})
    src = path.read_text()
    tree = ast.parse(src)
    lines = src.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []  # (first line, last line, replacement), 1-based inclusive
    attr_aliases: dict[str, str] = {}  # local alias of a split module -> old module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            indent = re.match(r"\s*", lines[node.lineno - 1]).group(0)
            groups: dict[str, list[str]] = {}
            changed = False
            for a in node.names:
                full = f"{node.module}.{a.name}"
                if full in splits:  # `from core import texts`: handled with its attribute uses
                    attr_aliases[a.asname or a.name] = full
                    changed = True
                    continue
                if node.module in symbols and a.name in symbols[node.module]:
                    new = symbols[node.module][a.name]
                elif already_new(full, modules) or already_new(node.module, modules):
                    new = node.module
                elif node.module in modules and a.name not in defined(modules[node.module]) and (
                    a.name in defined(node.module)
                ):
                    new = node.module  # a name of the new package that took the old module's place
                elif full in modules or any(full.startswith(o + ".") for o in modules):
                    new_full = target_module(full, modules)  # `from core import markup` -> package import
                    pkg, _, leaf = new_full.rpartition(".")
                    groups.setdefault(pkg, []).append(leaf if leaf == (a.asname or a.name) else f"{leaf} as {a.asname or a.name}")
                    changed = True
                    continue
                else:
                    new = target_module(node.module, modules)
                changed |= new != node.module
                groups.setdefault(new, []).append(a.name if not a.asname else f"{a.name} as {a.asname}")
            if changed:
                text = "".join(f"{indent}from {m} import {', '.join(ns)}\n" for m, ns in groups.items())
                edits.append((node.lineno, node.end_lineno, text))
        elif isinstance(node, ast.Import):
            names = [(a.name, a.asname) for a in node.names]
            new = [(target_module(n, modules), s) for n, s in names]
            if new != names:
                indent = re.match(r"\s*", lines[node.lineno - 1]).group(0)
                text = indent + "import " + ", ".join(n + (f" as {s}" if s else "") for n, s in new) + "\n"
                edits.append((node.lineno, node.end_lineno, text))
    if attr_aliases:
        here = ".".join(path.with_suffix("").parts)
        for alias, old in attr_aliases.items():
            local, table = splits[old]
            used: dict[str, str] = {}
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == alias:
                    dest = table[node.attr]
                    pkg, _, leaf = dest.rpartition(".")
                    if leaf != local or here.startswith(pkg + "."):
                        used[dest] = leaf  # core.common.ptbr -> ptbr; inside the package: texts
                    else:
                        used[dest] = pkg.rpartition(".")[2] + "_" + local  # core.sla.texts -> sla_texts
            # the import line(s) of the alias: add one import per destination
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and any(f"{node.module}.{a.name}" == old and (a.asname or a.name) == alias for a in node.names):
                    indent = re.match(r"\s*", lines[node.lineno - 1]).group(0)
                    extra = "".join(
                        f"{indent}from {d.rpartition('.')[0]} import {d.rpartition('.')[2]}"
                        + (f" as {n}" if n != d.rpartition(".")[2] else "") + "\n"
                        for d, n in sorted(used.items())
                    )
                    for i, (a0, b0, t) in enumerate(edits):
                        if a0 == node.lineno:
                            edits[i] = (a0, b0, t + extra)
                            break
                    else:
                        edits.append((node.lineno, node.end_lineno, extra))
            # attribute uses, right to left on each line so columns stay valid
            spots = sorted(
                ((n.lineno, n.col_offset, n.attr) for n in ast.walk(tree)
                 if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == alias),
                reverse=True,
            )
            for ln, col, attr in spots:
                line = lines[ln - 1].encode()  # ast columns are UTF-8 byte offsets
                assert line[col:col + len(alias) + 1] == (alias + ".").encode(), (path, ln)
                lines[ln - 1] = (line[:col] + used[table[attr]].encode() + line[col + len(alias):]).decode()
    if not edits and not attr_aliases:
        return None
    for first, last, text in sorted(edits, reverse=True):
        lines[first - 1:last] = [text]
    return "".join(lines)


def main() -> None:
    cfg = runpy.run_path(sys.argv[1])
    apply = "--apply" in sys.argv
    roots = sys.argv[sys.argv.index("--roots") + 1:] if "--roots" in sys.argv else ["core", "handlers", "storage", "bot", "tests", "bench", "testing"]
    for old, new in cfg.get("MODULES", {}).items():
        src = pathlib.Path(*old.split("."))
        src = src if src.is_dir() else src.with_suffix(".py")
        if src.exists() and old != new and not new.startswith(old + "."):
            dst = pathlib.Path(*new.split("."))
            print(f"git mv {src} {dst if src.is_dir() else dst.with_suffix('.py')}")
    n = 0
    for root in roots:
        for p in sorted(pathlib.Path(root).rglob("*.py")) if pathlib.Path(root).exists() else []:
            out = rewrite(p, cfg)
            if out is not None:
                n += 1
                if apply:
                    p.write_text(out)
    print(f"# {n} files {'rewritten' if apply else 'to rewrite'}", file=sys.stderr)


if __name__ == "__main__":
    main()
