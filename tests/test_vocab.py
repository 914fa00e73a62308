"""The vocabulary: engine/vocab.py mirrors ontology/budget.ttl, and no other module of engine/
assembles an IRI from strings."""

from __future__ import annotations

import ast
from pathlib import Path

from rdflib import Graph, URIRef

from engine.vocab import BASE, BK, PARTS, part_iri, subject_name
from tests.conftest import ROOT

ENGINE = ROOT / "engine"
# Calls that turn a string into an IRI: their argument must be an IRI made elsewhere, never assembled here.
_IRI_CALLS = {"URIRef", "NamedNode", "Namespace"}


def _assembled(node: ast.AST) -> bool:
    """An f-string, a concatenation or a .format() call: a string put together from pieces."""
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


def iri_assemblies(path: Path) -> list[str]:
    """Where a file assembles an IRI: an IRI call over an assembled string, or the project's base IRI
    written out (beyond the bare home page)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in _IRI_CALLS and any(_assembled(a) for a in node.args):
                found.append(f"{path.name}:{node.lineno}: {name}(…) of an assembled string")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(BASE):
            found.extend([f"{path.name}:{node.lineno}: {node.value!r}"] if node.value != BASE else [])
    return found


def test_no_iri_is_assembled_outside_the_vocabulary() -> None:
    found = [f for p in sorted(ENGINE.rglob("*.py")) if p.name != "vocab.py" for f in iri_assemblies(p)]
    assert not found, "IRIs assembled outside engine/vocab.py:\n" + "\n".join(found)


def test_the_check_sees_an_assembled_iri(tmp_path: Path) -> None:
    """Each form the check looks for, written once, is found."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        'URIRef(f"{doc}/table/{n}")\nox.NamedNode(doc + "/row")\nNamespace("{}/x".format(b))\n'
        'X = "https://budget-kg.org/store/"\nURIRef(iri)\nHOME = "https://budget-kg.org/"\n',
        encoding="utf-8",
    )
    assert [f.split(":")[1] for f in iri_assemblies(probe)] == ["1", "2", "3", "4"]


def test_every_term_of_bk_is_declared_in_the_ontology() -> None:
    """A term of engine/vocab.py's BK that budget.ttl does not declare is a silent new IRI."""
    ontology = Graph().parse(ROOT / "ontology" / "budget.ttl", format="turtle")
    declared = set(ontology.subjects())
    missing = sorted(name for name in BK.__annotations__ if URIRef(BK._NS + name) not in declared)
    assert not missing, f"terms of BK that ontology/budget.ttl does not declare: {missing}"


def test_parts_are_minted_under_their_node() -> None:
    assert part_iri("https://budget-kg.org/doc/a", "table", 3) == "https://budget-kg.org/doc/a/table/3"
    assert "cell" in PARTS and "tabel" not in PARTS
    try:
        part_iri("https://budget-kg.org/doc/a", "tabel", 3)
    except ValueError:
        pass
    else:
        raise AssertionError("a misspelt part made an IRI")


def test_subjects_print_by_their_namespace() -> None:
    """Function and economic concepts print as code:, measures as measure:, whatever their first digit."""
    assert subject_name(BASE + "code/function/2012901") == "code:2012901"
    assert subject_name(BASE + "code/economic/50101") == "code:50101"
    assert subject_name(BASE + "measure/basic") == "measure:basic"
