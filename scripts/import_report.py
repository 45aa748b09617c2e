"""Print the import cycles between gongkai modules and the imports made inside functions.

    .venv/bin/python scripts/import_report.py            # summary
    .venv/bin/python scripts/import_report.py --list     # every import inside a function

Cycles are strongly connected components of the module import graph (grimp, the engine of
import-linter); "inside functions" counts `import` statements nested in a def.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def inner_imports() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted((ROOT / "gongkai").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    if isinstance(node, ast.ImportFrom) and node.module:
                        found.append((str(path.relative_to(ROOT)), node.lineno, node.module))
                    elif isinstance(node, ast.Import):
                        found.append((str(path.relative_to(ROOT)), node.lineno, node.names[0].name))
    return sorted(set(found))


def cycles() -> list[list[str]]:
    import grimp

    graph = grimp.build_graph("gongkai", cache_dir=None)
    modules = sorted(m for m in graph.modules if ".migrations" not in m)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & set(modules)) for m in modules}
    # Tarjan's strongly connected components.
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for m in modules:
        if m not in index:
            visit(m)
    return sorted(out, key=len, reverse=True)


def main() -> None:
    inner = inner_imports()
    project = [i for i in inner if i[2].startswith("gongkai")]
    found = cycles()
    print(f"import cycles (strongly connected groups of modules): {len(found)}")
    for comp in found:
        print(f"  {len(comp)} modules: " + ", ".join(comp))
    print(f"imports inside functions: {len(inner)} (of gongkai modules: {len(project)})")
    if "--list" in sys.argv:
        for path, line, module in inner:
            print(f"  {path}:{line} {module}")


if __name__ == "__main__":
    main()
