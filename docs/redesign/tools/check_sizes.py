"""Issue 19's measured limits: no Protocol over 25 methods (the composite Transaction excepted),
no module over 500 lines in production and testing except the pt-BR text tables. Exit 1 on a breach."""
import ast
import pathlib
import sys

EXEMPT_MODULES = ("texts.py", "lexicon.py")  # pt-BR text tables
bad = []
for root in ("core", "handlers", "storage", "bot", "testing"):
    for path in pathlib.Path(root).rglob("*.py"):
        text = path.read_text()
        lines = text.count("\n")
        if lines > 500 and not path.name.endswith(EXEMPT_MODULES):
            bad.append(f"{path}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and any(ast.unparse(b).startswith(("Protocol", "typing.Protocol")) for b in node.bases):
                methods = sum(isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) for f in node.body)
                if methods > 25:
                    bad.append(f"{path}: Protocol {node.name} has {methods} methods")
print("\n".join(bad))
sys.exit(1 if bad else 0)
