"""Import graph of the project's own modules (TYPE_CHECKING and function-level imports included);
prints every strongly connected component of size > 1 and, for each, one shortest cycle per edge."""
import ast, sys, pathlib, collections
ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
PKGS = ("core", "handlers", "storage", "bot", "tests", "bench", "testing")
mods = {}
for p in ROOT.rglob("*.py"):
    rel = p.relative_to(ROOT)
    if rel.parts[0] not in PKGS or ".venv" in rel.parts: continue
    name = ".".join(rel.with_suffix("").parts)
    if name.endswith(".__init__"): name = name[:-9]
    mods[name] = p
def resolve(cur, node):
    out = []
    if isinstance(node, ast.Import):
        for a in node.names: out.append(a.name)
    else:
        base = node.module or ""
        if node.level:
            pkg = cur.split(".")
            if not str(mods[cur]).endswith("__init__.py"): pkg = pkg[:-1]
            pkg = pkg[: len(pkg) - node.level + 1]
            base = ".".join(pkg + ([base] if base else []))
        for a in node.names:
            out.append(f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base)
    res = []
    for n in out:
        while n and n not in mods: n = n.rpartition(".")[0]
        if n: res.append(n)
    return res
G = collections.defaultdict(set)
for m, p in mods.items():
    for node in ast.walk(ast.parse(p.read_text())):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for t in resolve(m, node):
                if t != m: G[m].add(t)
# Tarjan
idx, low, st, on, comps, i = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def sc(v):
    idx[v] = low[v] = i[0]; i[0] += 1; st.append(v); on.add(v)
    for w in G[v]:
        if w not in idx: sc(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], idx[w])
    if low[v] == idx[v]:
        c = []
        while True:
            w = st.pop(); on.discard(w); c.append(w)
            if w == v: break
        if len(c) > 1: comps.append(sorted(c))
for v in list(mods): 
    if v not in idx: sc(v)
for c in comps:
    print(f"## component of {len(c)}: {' '.join(c)}")
    cs = set(c)
    for v in c:
        for w in sorted(G[v] & cs):
            print(f"   {v} -> {w}")
sys.exit(1 if comps else 0)
