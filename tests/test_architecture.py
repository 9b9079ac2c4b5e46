"""The shape of the package, read from its source: no import circles, each stage importing only
the stages below it, nothing inside importing the public face, and ReportLab's private names in
one module.

Every import counts: at the top of a module, inside a function, and those made only for type
checking (``if TYPE_CHECKING:``), since a circle of type-only imports is still a circle a reader
must untangle.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from fixtures import REPO

PACKAGE = REPO / "src" / "handout_builder"

# The stages in pipeline order, lowest first. A module may import from its own stage and from
# stages further up this list, never from one further down (``docs/architecture.md``).
LAYERS: list[set[str]] = [
    {"codes"},
    {"_version", "errors", "inline", "model"},
    {"output", "manual"},
    {"source"},
    {"pdf"},
    {"look"},
    {"layout"},
    {"pipeline"},
    {"lint"},
    {"batch", "frontdesk"},
    {"api"},
    {"console"},
    {"cli", "__init__"},
    {"__main__"},
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str) -> Iterator[str]:
    """The package's own modules that ``name`` imports, anywhere in it."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in MODULES:
                    yield full
                elif base in MODULES:
                    yield base
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name in MODULES)


GRAPH = {name: sorted(set(imported(name)) - {name}) for name in MODULES}


def stage(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def rank(name: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if stage(name) in layer)


def test_the_graph_is_read() -> None:
    assert len(MODULES) > 40
    assert "handout_builder.pipeline" in GRAPH["handout_builder.batch.worker"]
    assert "handout_builder.lint.engine" in GRAPH["handout_builder.api"]  # inside a function
    assert "handout_builder.api" in GRAPH["handout_builder"]  # only for type checking


def test_no_import_circles() -> None:
    cycles = []
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(name: str) -> None:
        state[name] = "open"
        trail.append(name)
        for other in GRAPH[name]:
            if state.get(other) == "open":
                cycles.append(" -> ".join([*trail[trail.index(other) :], other]))
            elif other not in state:
                visit(other)
        trail.pop()
        state[name] = "done"

    for name in GRAPH:
        if name not in state:
            visit(name)
    assert cycles == [], "import circles:\n" + "\n".join(cycles)


def test_every_module_belongs_to_a_stage() -> None:
    placed = set().union(*LAYERS)
    assert sorted({stage(n) for n in MODULES} - placed) == []


def test_each_stage_imports_only_the_stages_below_it() -> None:
    upward = [
        f"{name} imports {other}"
        for name, others in GRAPH.items()
        for other in others
        if stage(other) != stage(name) and rank(other) >= rank(name)
    ]
    assert upward == [], "imports from a stage at or above the importer's:\n" + "\n".join(upward)


def test_nothing_inside_imports_the_public_face() -> None:
    users = [n for n, others in GRAPH.items() if "handout_builder.api" in others]
    assert sorted(users) == ["handout_builder", "handout_builder.cli"]


# Private names of ReportLab's (an underscore after a dot, on a ReportLab object or import).
PRIVATE_USE = re.compile(
    r"from reportlab[\w.]* import [^\n]*\b_\w+"
    r"|\.(_listWrapOn|_cellvalues|_content|_height|_hAlignAdjust|_generated_content|_textOut"
    r"|_doc|_startPage|_pageNumber|tt_parse)\b"
    r"|\bblPara\b"
)


def test_reportlab_internals_are_reached_only_through_one_module() -> None:
    found = [
        f"{name}:{n}: {line.strip()}"
        for name, path in MODULES.items()
        if name != "handout_builder.pdf._reportlab"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PRIVATE_USE.search(line.split("#")[0])
    ]
    assert found == []
    assert PRIVATE_USE.search(MODULES["handout_builder.pdf._reportlab"].read_text())


def test_every_module_says_what_it_takes_and_gives() -> None:
    missing = [n for n, p in MODULES.items() if ast.get_docstring(ast.parse(p.read_text())) is None]
    assert missing == []
