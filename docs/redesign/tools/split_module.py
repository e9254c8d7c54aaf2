"""Move top-level statements of one module into others, unedited (issue 19 step 4).

    python3 split_module.py SPLIT.py

SPLIT.py defines SOURCE = "core/models.py", HOMES = {"core.tickets.model": ["Ticket", ...]} and
DOCS = {"core.tickets.model": "module docstring"} for files that do not exist yet. Each block (with
its decorators, the comments right above it and an attribute docstring right under it) is cut from
SOURCE and appended to its home in source order. Every home gets all of SOURCE's imports (the
``TYPE_CHECKING`` ones as plain imports) plus imports of the moved names it uses; SOURCE gets imports
of the moved names it still uses. Afterwards: rewrite_imports.py with SYMBOLS for the other modules,
then ``ruff check --select I,F401 --fix``.
"""
from __future__ import annotations

import ast
import pathlib
import runpy
import sys


def blocks(src: str) -> tuple[list[tuple[list[str], int, int]], list[str], list[str]]:
    """(names, first line, last line) per top-level statement; import lines; TYPE_CHECKING lines."""
    tree = ast.parse(src)
    lines = src.splitlines()
    out: list[tuple[list[str], int, int]] = []
    imports: list[str] = []
    checking: list[str] = []
    body = tree.body
    for i, node in enumerate(body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
                imports.append("\n".join(lines[node.lineno - 1 : node.end_lineno]))
            continue
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for sub in node.body:
                checking.append(ast.unparse(sub))
            continue
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names = [node.name]
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            first = node.lineno
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
            first = node.lineno
        else:
            continue  # the module docstring, a bare expression
        last = node.end_lineno or node.lineno
        nxt = body[i + 1] if i + 1 < len(body) else None
        if (
            isinstance(node, (ast.Assign, ast.AnnAssign))
            and isinstance(nxt, ast.Expr)
            and isinstance(nxt.value, ast.Constant)
            and isinstance(nxt.value.value, str)
        ):
            last = nxt.end_lineno or last
        while first > 1 and lines[first - 2].lstrip().startswith("#"):
            first -= 1
        out.append((names, first, last))
    return out, imports, checking


def used_names(code: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name)}


def main() -> None:
    cfg = runpy.run_path(sys.argv[1])
    source = pathlib.Path(cfg["SOURCE"])
    homes: dict[str, list[str]] = cfg["HOMES"]
    docs: dict[str, str] = cfg.get("DOCS", {})
    where = {name: home for home, names in homes.items() for name in names}
    src = source.read_text()
    found, imports, checking = blocks(src)
    lines = src.splitlines()
    missing = set(where) - {n for names, _, _ in found for n in names}
    assert not missing, f"not found in {source}: {sorted(missing)}"
    moved: dict[str, list[str]] = {home: [] for home in homes}
    cut: list[tuple[int, int]] = []
    for names, first, last in found:
        dest = {where.get(n) for n in names}
        if dest == {None}:
            continue
        assert len(dest) == 1, names
        moved[dest.pop()].append("\n".join(lines[first - 1 : last]))
        cut.append((first, last))
    for first, last in sorted(cut, reverse=True):
        del lines[first - 1 : last]
    rest = "\n".join(lines) + "\n"
    here = ".".join(source.with_suffix("").parts)
    for home, code_blocks in moved.items():
        code = "\n\n\n".join(code_blocks)
        wanted = used_names(code)
        extra = [f"from {where[n]} import {n}" for n in sorted(wanted) if n in where and where[n] != home]
        extra += [f"from {here} import {n}" for n in sorted(wanted) if n in defined_left(rest, where)]
        path = pathlib.Path(*home.split(".")).with_suffix(".py")
        head_imports = "\n".join([*imports, *checking, *extra])
        if path.exists():
            old = path.read_text()
            tree = ast.parse(old)
            last_import = max(
                (n.end_lineno for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))), default=0
            )
            old_lines = old.splitlines()
            text = "\n".join(old_lines[:last_import] + [head_imports] + old_lines[last_import:])
            text = text.rstrip("\n") + "\n\n\n" + code + "\n"
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            init = path.parent / "__init__.py"
            assert init.exists(), f"{init} missing: write the package docstring first"
            doc = docs[home]
            text = f'"""{doc}"""\n\nfrom __future__ import annotations\n\n{head_imports}\n\n\n{code}\n'
        path.write_text(text)
        print(f"{path}: {sum(len(b.splitlines()) for b in code_blocks)} lines moved in")
    back = [f"from {where[n]} import {n}" for n in sorted(used_names(rest) & set(where))]
    if back:
        tree = ast.parse(rest)
        anchor = max((n.end_lineno for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))), default=0)
        rest_lines = rest.splitlines()
        rest = "\n".join(rest_lines[:anchor] + back + rest_lines[anchor:]) + "\n"
    source.write_text(rest)


def defined_left(rest: str, where: dict[str, str]) -> set[str]:
    """Names still defined in the source (a moved block may use one: import it from there)."""
    names: set[str] = set()
    for node in ast.parse(rest).body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names - set(where)


if __name__ == "__main__":
    main()
