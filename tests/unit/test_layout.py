"""The packages read in dependency order: each imports only those before it, the domain
imports no Flask, and no module imports another that imports it back."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "complaints"
ORDER = ["core", "db", "routing", "calendar", "outbox", "cases", "households", "intake", "reports",
         "accounts", "components", "web", "cli", "app"]
# What each layer may import besides the layers before it.
PURE = {"core", "routing"}          # leaves: no database, no web
NO_FLASK = {"core", "db", "routing", "calendar", "outbox", "cases", "households", "intake", "reports",
            "accounts", "components"}


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("complaints", *parts)).removesuffix(".__init__")
        yield name, path


def imports(path):
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def layer(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


@pytest.mark.parametrize(("module", "path"), list(modules()), ids=lambda value: str(value))
def test_each_module_imports_only_what_comes_before_it(module, path):
    own = layer(module)
    if own is None:
        return
    for imported, _names in imports(path):
        if imported.startswith(("flask", "werkzeug", "jinja2")):
            assert own not in NO_FLASK, f"{module} imports {imported}"
        if not imported.startswith("complaints."):
            continue
        other = layer(imported)
        assert ORDER.index(other) <= ORDER.index(own), f"{module} imports {imported}"
        if own in PURE:
            assert other in ({"core"} if own == "core" else {"core", "routing"}), (
                f"{module} imports {imported}")


def test_no_import_cycles():
    names = dict(modules())
    graph = {name: set() for name in names}
    for name, path in names.items():
        for imported, members in imports(path):
            for candidate in (imported, *(f"{imported}.{member}" for member in members)):
                if candidate in names and candidate != name:
                    graph[name].add(candidate)
    seen, on_path = set(), []

    def visit(node):
        if node in on_path:
            raise AssertionError("import cycle: " + " -> ".join(on_path[on_path.index(node):] + [node]))
        if node in seen:
            return
        on_path.append(node)
        for following in sorted(graph[node]):
            visit(following)
        on_path.pop()
        seen.add(node)

    for name in sorted(graph):
        visit(name)
