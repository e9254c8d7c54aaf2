"""git mv every module of MOVES.py's MODULES to its new path, creating packages (with a docstring
__init__.py) on the way. Run from the repository root, then rewrite_imports.py MOVES.py --apply."""
import pathlib
import runpy
import subprocess
import sys

cfg = runpy.run_path(sys.argv[1])
for old, new in cfg["MODULES"].items():
    base = pathlib.Path(*old.split("."))
    src = base.with_suffix(".py") if base.with_suffix(".py").exists() else base
    if not src.exists():
        print("not found (already moved?):", old)
        continue
    dst = pathlib.Path(*new.split("."))
    dst = dst.with_suffix(".py") if src.suffix == ".py" else dst
    for d in reversed(list(dst.parents)[:-1]):
        d.mkdir(exist_ok=True)
        if not (d / "__init__.py").exists() and d.parts[0] != "tests":
            (d / "__init__.py").write_text(f'"""TODO one line: what lives in {".".join(d.parts)}."""\n')
    subprocess.run(["git", "mv", str(src), str(dst)], check=True)
subprocess.run(["git", "add", "-A"], check=True)
