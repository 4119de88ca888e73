"""No import circles inside `mancrel` (issue 24, point 4 of the reading).

A circle between two modules works only by accident of import order, and the usual
dodge, a function-local import, hides it from readers without removing it. This test
reads every module under `mancrel/` with `ast` (no imports run), builds the graph of
which module imports which, function-local imports included, and fails on any cycle,
naming the modules in it. Imports under `if TYPE_CHECKING:` never run and are left out.
"""

import ast
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "mancrel"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The `mancrel` modules this module imports, wherever in its body the import is."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from mancrel.deal import service` imports the module mancrel.deal.service.
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    # Importing mancrel.a.b runs mancrel/a/__init__.py first; a module's own packages are
    # already loading when it runs, so they are no edge.
    with_packages = {".".join(name.split(".")[:i]) for name in found for i in range(1, name.count(".") + 2)}
    own_packages = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 2)}
    return {name for name in with_packages if name in known} - own_packages


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE_ROOT.rglob("*.py"))
    known = {_module_name(p) for p in paths}
    return {_module_name(p): _imports(ast.parse(p.read_text(), str(p)), _module_name(p),
                                      p.name == "__init__.py", known) for p in paths}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
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
    return found


def test_the_finder_sees_a_circle_hidden_in_a_function() -> None:
    # The check itself must be able to fail: a local import closing a loop is a cycle.
    a = ast.parse("from mancrel.b import thing\n")
    b = ast.parse("def f():\n    from mancrel import a\n    return a\n")
    known = {"mancrel", "mancrel.a", "mancrel.b"}
    graph = {"mancrel.a": _imports(a, "mancrel.a", False, known),
             "mancrel.b": _imports(b, "mancrel.b", False, known)}
    assert cycles(graph) == [["mancrel.a", "mancrel.b"]]


def test_no_module_of_mancrel_imports_itself_through_others() -> None:
    found = cycles(import_graph())
    assert not found, "import circles:\n" + "\n".join(" <-> ".join(c) for c in found)


if __name__ == "__main__":  # `make lint` runs this file directly: no servers, a second at most
    import sys

    circles = cycles(import_graph())
    for circle in circles:
        print("import circle:", " <-> ".join(circle))
    sys.exit(1 if circles else 0)
