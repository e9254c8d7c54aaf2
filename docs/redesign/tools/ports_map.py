import ast, pathlib, collections, re, sys
T = ast.parse(open('core/ports.py').read())
tx = [n for n in T.body if isinstance(n, ast.ClassDef) and n.name == 'Transaction'][0]
methods = [f.name for f in tx.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
impl = {}
for p in pathlib.Path('storage').glob('*.py'):
    t = ast.parse(p.read_text())
    for c in t.body:
        if isinstance(c, ast.ClassDef):
            for f in c.body:
                if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name in methods:
                    impl.setdefault(f.name, f"{p.stem}.{c.name}")
callers = collections.defaultdict(set)
for root in ('core', 'handlers', 'bot', 'storage'):
    for p in pathlib.Path(root).rglob('*.py'):
        if p.name == 'ports.py': continue
        t = ast.parse(p.read_text())
        mod = '.'.join(p.with_suffix('').parts)
        for n in ast.walk(t):
            if isinstance(n, ast.Attribute) and n.attr in methods and isinstance(n.ctx, ast.Load):
                callers[n.attr].add(mod)
for m in methods:
    print(f"{m:28s} {impl.get(m,'?'):40s} {' '.join(sorted(c.replace('core.','') for c in callers[m] if not c.startswith('storage')))}")
