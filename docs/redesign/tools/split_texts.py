"""Cut core/texts.py into the modules of moves_texts.py's table (run from the repo root, after phase 1).
Each part gets the original header (docstring, imports) and its symbols in file order, byte for byte;
`ruff check --select F401,I --fix` then drops the imports a part does not use. Appends to a target
module that exists (core/common/ptbr.py). Deletes core/texts.py."""
import ast
import pathlib
import runpy
import subprocess

table = runpy.run_path(str(pathlib.Path(__file__).with_name("moves_texts.py")))["SYMBOLS"]["core.texts"]
src = pathlib.Path("core/texts.py").read_text()
lines = src.splitlines(keepends=True)
tree = ast.parse(src)
first_def = next(n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom, ast.Expr)))
imports = "".join(ast.get_source_segment(src, n) + "\n" for n in tree.body
                  if isinstance(n, (ast.Import, ast.ImportFrom)) and getattr(n, "module", "") != "__future__")
parts: dict[str, list[str]] = {}
body = [n for n in tree.body if n.lineno >= first_def.lineno]
module = None
for i, node in enumerate(body):
    if isinstance(node, ast.Expr):  # an attribute docstring: stays right under the name it documents
        text = "".join(lines[node.lineno - 1:node.end_lineno])
        parts[module][-1] = parts[module][-1].rstrip() + "\n" + text.rstrip() + "\n\n\n"
        continue
    name = node.name if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else (
        node.targets[0].id if isinstance(node, ast.Assign) else node.target.id)
    module = table[name]
    start = (node.decorator_list[0].lineno if getattr(node, "decorator_list", None) else node.lineno)
    # keep the comment lines just above a symbol with it, and a section comment (column 0) above
    # those across blank lines: it heads the symbols after it, not the file the symbol before goes to
    while True:
        while start > 1 and lines[start - 2].lstrip().startswith("#"):
            start -= 1
        above = start - 1
        while above > 1 and not lines[above - 1].strip():
            above -= 1
        if above < start - 1 and lines[above - 1].startswith("#") and above > first_def.lineno:
            start = above
            continue
        break
    end = body[i + 1].lineno - 1 if i + 1 < len(body) else len(lines)
    while end > start and (lines[end - 1].lstrip().startswith("#") or not lines[end - 1].strip()):
        end -= 1  # those belong to the next symbol
    parts.setdefault(module, []).append("".join(lines[start - 1:end]).rstrip() + "\n\n\n")
for module, chunks in parts.items():
    path = pathlib.Path(*module.split(".")).with_suffix(".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    for d in [path.parent, *path.parent.parents][:-1]:
        if not (d / "__init__.py").exists():
            (d / "__init__.py").write_text(f'"""{".".join(d.parts)}."""\n')
    text = "".join(chunks).rstrip() + "\n"
    if path.exists():
        path.write_text(path.read_text().rstrip() + "\n\n\n" + text)  # TODO by hand: move imports up
    else:
        cap = module.split(".")[1]
        path.write_text(f'"""What people read about {cap} (pt-BR), kept together for review."""\n\n'
                        f"from __future__ import annotations\n\n{imports}\n\n{text}")
    subprocess.run(["git", "add", str(path)], check=True)
subprocess.run(["git", "rm", "-qf", "core/texts.py"], check=True)
