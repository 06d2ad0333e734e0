"""The import graph of ``src/naislint`` has no cycle and runs one way.

Dependencies run ``cli/warm -> lsp -> run/reporters -> config -> rules -> registry -> external
-> site/schema -> jekyll -> page -> store/diagnostics/errors``: a module may import its
own layer or a lower one. Imports inside functions count (they run too); imports under
``if TYPE_CHECKING:`` count for the direction but not for cycles, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "naislint"

#: Layers from the bottom; a module belongs to the first prefix that matches it.
LAYERS: list[tuple[str, ...]] = [
    ("naislint.version", "naislint.diagnostics", "naislint.errors", "naislint.resources",
     "naislint.child_process", "naislint.globmatch", "naislint.store"),
    ("naislint.page", "naislint.document"),
    ("naislint.jekyll",),
    ("naislint.site", "naislint.schema"),
    ("naislint.external",),
    ("naislint.registry", "naislint.builtin_rules"),
    ("naislint.rules",),
    ("naislint.config",),
    ("naislint.run", "naislint.reporters"),
    ("naislint.lsp",),
    ("naislint.cli", "naislint.__main__", "naislint.warm", "naislint"),
]


def module_names() -> dict[str, Path]:
    names: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def layer_of(module: str) -> int:
    for rank, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:``."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                for inner in node.body:
                    for sub in ast.walk(inner):
                        if isinstance(sub, (ast.Import, ast.ImportFrom)):
                            found.add(id(sub))
    return found


def imports() -> dict[str, list[tuple[str, bool, int]]]:
    """module -> [(imported naislint module, runs at run time, line)]."""
    names = module_names()
    graph: dict[str, list[tuple[str, bool, int]]] = {}
    for module, path in names.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = _type_checking_nodes(tree)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        edges: list[tuple[str, bool, int]] = []
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                targets = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in names else prefix for a in node.names]
            for target in targets:
                while target not in names and "." in target:
                    target = target.rpartition(".")[0]
                if target in names and target != module and target.startswith("naislint"):
                    edges.append((target, id(node) not in typing_only, node.lineno))
        graph[module] = edges
    return graph


def test_every_import_runs_down_the_layers() -> None:
    wrong = [
        f"{module}:{line} imports {target}"
        for module, edges in imports().items()
        for target, _runs, line in edges
        if layer_of(target) > layer_of(module)
    ]
    assert wrong == []


def test_no_import_cycle() -> None:
    graph = {m: sorted({t for t, runs, _ in edges if runs}) for m, edges in imports().items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(start: str) -> None:
        # Tarjan's strongly connected components, iteratively (no recursion limit).
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph[nxt])))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
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
                    cycles.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    assert cycles == []


def test_the_checks_see_a_cycle_and_a_wrong_direction() -> None:
    """The graph is built from real imports: the engine imports the page model, and the
    page model imports nothing above it."""
    graph = imports()
    assert any(t == "naislint.page.document" for t, _, _ in graph["naislint.run.engine"])
    assert layer_of("naislint.page.document") < layer_of("naislint.run.engine")
    assert any(runs for t, runs, _ in graph["naislint.run.engine"] if t == "naislint.run.parallel")


def test_every_rule_follows_the_contract() -> None:
    """Every built-in rule's ``check`` is ``check(doc: Document, ctx: RuleContext, options)``,
    typed, so what a rule may see is written in its signature."""
    import inspect

    from naislint.registry import all_rules

    wrong = []
    for rule in all_rules().values():
        if rule.check is None:
            continue
        params = list(inspect.signature(rule.check).parameters.values())
        names = [p.name for p in params]
        annotations = [str(p.annotation) for p in params]
        if names != ["doc", "ctx", "options"] or annotations[:2] != ["Document", "RuleContext"]:
            wrong.append(f"{rule.name}: check{tuple(zip(names, annotations))}")
    assert wrong == []


def test_a_plugin_with_the_first_contract_still_gets_the_site() -> None:
    from naislint.diagnostics import Finding, Span
    from naislint.jekyll.pagekinds import PagePlace
    from naislint.registry import Rule, RuleContext, _with_context_argument

    seen = []

    def old_style(doc, site, options):  # the 0.1 contract
        seen.append(site)
        yield Finding(Span.point(1, 1), "x")

    rule = _with_context_argument(Rule(code="NL999", name="old-style", summary="s", check=old_style))
    site = object()
    assert len(list(rule.check(None, RuleContext(PagePlace(None, "a.md"), site), None))) == 1
    assert seen == [site]


def test_the_old_import_path_of_the_page_model_still_works() -> None:
    from naislint.document import Document as Old
    from naislint.page.document import Document

    assert Old is Document


def test_no_module_outside_a_rule_names_it() -> None:
    """The engine, the config and the command line treat rules through their ``Rule``
    hooks (``prepare_run``, ``cacheable``, ``config_section``, ``network``): no code
    outside a rule's own module (and the network package behind it) names a rule. The
    generated catalog of the built-in rules' metadata (``builtin_rules``, checked against
    the rules by ``test_rule_catalog``) lists every rule, as the entry points do."""
    from naislint.registry import all_rules

    names = set(all_rules())
    named = []
    for module, path in module_names().items():
        if module.startswith(("naislint.rules.", "naislint.external")) or module == "naislint.builtin_rules":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in {"external-link"} & names:
                named.append(f"{module}:{node.lineno} names {node.value!r}")
    assert named == []
