"""auth and user import each other nowhere: no circle, and no function-local import to hide one."""

import ast
from pathlib import Path

PACKAGES = ("auth", "user")
ROOT = Path(__file__).resolve().parents[2] / "mancrel"


def _modules() -> dict[str, ast.Module]:
    return {f"mancrel.{package}.{path.stem}": ast.parse(path.read_text())
            for package in PACKAGES for path in (ROOT / package).glob("*.py")}


def _imported(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:  # module level only: what loads when the module loads
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt):], nxt] if nxt in path else [node, nxt]
            if nxt not in state and (found := visit(nxt, [*path, nxt])):
                return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_auth_and_user_modules_form_no_import_circle():
    modules = _modules()
    graph = {name: _imported(tree) & modules.keys() for name, tree in modules.items()}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_no_function_local_imports_in_auth_and_user():
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                local = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
                assert not local, f"{name}.{node.name} imports inside the function"
