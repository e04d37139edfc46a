"""How the package is put together: one place for each rule, no import cycles, plain
data objects without rdflib."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "graphkit"


def modules() -> dict[str, ast.Module]:
    """Every module of graphkit by dotted name, parsed."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports inside ``if TYPE_CHECKING:`` (never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            lines |= {child.lineno for stmt in node.body for child in ast.walk(stmt)
                      if isinstance(child, ast.Import | ast.ImportFrom)}
    return lines


def import_graph() -> dict[str, set[str]]:
    """Module -> graphkit modules it imports when run (inside functions too; importing
    ``a.b.c`` runs the packages ``a.b`` and ``a`` first, which count as well)."""
    found = modules()
    graph: dict[str, set[str]] = {name: set() for name in found}
    for name, tree in found.items():
        skip = _type_checking_only(tree)
        for node in ast.walk(tree):
            if node.lineno in skip if hasattr(node, "lineno") else False:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for target in targets:
                parts = target.split(".")
                for i in range(2, len(parts) + 1):
                    module = ".".join(parts[:i])
                    if module in found and module != name and not name.startswith(module + "."):
                        graph[name].add(module)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_two_modules_import_each_other_even_through_others():
    """A cycle (rdf.query -> rdf.remote -> rdf.query, engines.batching -> extract ->
    engines.batching) means the shared piece belongs further down. The extraction
    stages' own cycle inside graphkit.extract is another change's to break."""
    found = [sorted(c) for c in cycles(import_graph())
             if not all(m.startswith("graphkit.extract.") for m in c)]
    assert found == []


def test_the_cycle_finder_sees_a_cycle_through_a_function_level_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [{"a", "b", "c"}]


def _orders_by_hand(node: ast.AST) -> bool:
    """An ``if`` that asks whether a relation is symmetric and compares two values: the
    canonical order of a pair, written out again."""
    test = node.test if isinstance(node, ast.If | ast.IfExp) else None
    if test is None:
        return False
    parts = list(ast.walk(test))
    asks = any(isinstance(p, ast.Attribute) and p.attr == "symmetric" for p in parts)
    compares = any(isinstance(p, ast.Compare) and any(isinstance(op, ast.Gt | ast.Lt)
                                                      for op in p.ops) for p in parts)
    return asks and compares


def test_symmetric_pairs_are_ordered_only_by_relation_ordered():
    """Statement keys, aggregates, network edges and the scorer all order a symmetric
    pair through Relation.ordered, so they cannot disagree."""
    by_hand = [f"{name}:{node.lineno}" for name, tree in modules().items()
               if name != "graphkit.kinds" for node in ast.walk(tree) if _orders_by_hand(node)]
    assert by_hand == []


def test_every_reader_orders_a_symmetric_pair_the_same_way():
    from graphkit.corpus.aggregate import aggregate_iri, aggregate_rows, read_rows
    from graphkit.evaluate import _key
    from graphkit.model import Entity, Evidence, Statement
    from graphkit.network import to_networkx
    from graphkit.rdf import statements_to_graph
    from graphkit.vocab import EntityType, Modality, Relation

    b = Entity("b-group", "B", EntityType.MILITANT_GROUP)
    a = Entity("a-group", "A", EntityType.MILITANT_GROUP)
    st = Statement(b, Relation.RIVAL_OF, a, Modality.ASSERTED, 0.8, None,
                   Evidence("d", "B fought A.", 0, 11))
    graph = statements_to_graph([st])
    (agg,) = aggregate_rows(read_rows(graph))
    (edge,) = to_networkx(graph, analyse=False).edges()
    # "a-group" sorts before "b-group": every one of them puts A first.
    assert st.key() == ("a-group", "rivalOf", "b-group")
    assert (agg.subject, agg.object) == (a.iri, b.iri)
    assert agg.iri == aggregate_iri(b.iri, Relation.RIVAL_OF, a.iri)
    assert edge == (a.iri, b.iri)
    assert _key("b", "rivalOf", "a") == ("a", "rivalof", "b")
    assert _key("b", "leaderOf", "a") == ("b", "leaderof", "a")


WITHOUT_RDFLIB = """
import sys
sys.modules["rdflib"] = None  # any import of rdflib now raises ImportError
from graphkit.model import Document, Entity, Evidence, Statement
from graphkit.kinds import EntityType, Modality, Relation
a = Entity("group-b", "Group B", EntityType.MILITANT_GROUP)
b = Entity("group-a", "Group A", EntityType.MILITANT_GROUP)
st = Statement(a, Relation.ALLIED_WITH, b, Modality.ASSERTED, 0.9, 2014,
               Evidence("d1", "Group B allied with Group A.", 0, 28))
assert Statement.from_json(st.to_json()) == st
print(st.key(), a.iri, Document("d1", "text").content_hash[:8])
"""


def test_the_data_objects_work_without_rdflib():
    """graphkit.model says no rdflib objects live there: it imports without rdflib."""
    proc = subprocess.run([sys.executable, "-c", WITHOUT_RDFLIB], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["('group-a',", "'alliedWith',", "'group-b')",
                                   "https://w3id.org/graphkit/entity/group-b", "982d9e3e"]


def _reads_statement_nodes(node: ast.AST) -> bool:
    """A call that looks up the subjects typed gk:Statement: reading statement nodes."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "subjects"
            and "GK.Statement" in [ast.unparse(arg) for arg in node.args])


def test_statement_nodes_are_read_in_one_place():
    readers = sorted({name for name, tree in modules().items() for node in ast.walk(tree)
                      if _reads_statement_nodes(node)})
    assert readers == ["graphkit.rdf.read"]


def test_a_statement_node_without_modality_is_malformed_to_every_reader():
    from rdflib.namespace import RDF

    from graphkit.corpus.aggregate import read_rows
    from graphkit.errors import InputError
    from graphkit.model import Entity, Evidence, Statement
    from graphkit.network import to_networkx
    from graphkit.rdf import graph_to_statements, statements_to_graph
    from graphkit.vocab import GK, EntityType, Modality, Relation

    a = Entity("a-group", "A", EntityType.MILITANT_GROUP)
    b = Entity("b-group", "B", EntityType.MILITANT_GROUP)
    graph = statements_to_graph([Statement(a, Relation.SUPPORTS, b, Modality.NEGATED, 0.8,
                                           None, Evidence("d", "A never backed B.", 0, 17))])
    (node,) = graph.subjects(RDF.type, GK.Statement)
    graph.remove((node, GK.modality, None))
    message = f"^statement {node} has no gk:modality$"
    with pytest.raises(InputError, match=message):
        graph_to_statements(graph)
    with pytest.raises(InputError, match=message):  # not read as an asserted tie
        to_networkx(graph)
    assert read_rows(graph) == []  # the corpus layer skips it
