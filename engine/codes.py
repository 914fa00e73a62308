"""The 政府收支分类科目 code lists (ontology/codes/*.ttl, SKOS): names, levels, renamed classes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from engine.resources import data_path

CODE_DIR = data_path("ontology", "codes")
SCHEMES = ("function", "economic")


@dataclass(slots=True)
class CodeList:
    """One classification: code → official name, and the obsolete names a code once had."""

    scheme: str
    names: dict[str, str] = field(default_factory=dict)
    obsolete: dict[str, list[str]] = field(default_factory=dict)
    _by_name: dict[str, str] = field(default_factory=dict)

    def name(self, code: str) -> str | None:
        return self.names.get(code)

    def code_for_class_name(self, name: str) -> str | None:
        """The 类 (3-digit) code printed under this name, current or obsolete."""
        return self._by_name.get(name)


@cache
def code_list(scheme: str) -> CodeList:
    """Read a code list once per process."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from engine.vocab import BK
    graph = Graph().parse(CODE_DIR / f"{scheme}.ttl", format="turtle")
    codes = CodeList(scheme)
    for concept, notation in graph.subject_objects(SKOS.notation):
        code = str(notation)
        labels = [
            str(label) for label in graph.objects(concept, SKOS.prefLabel) if getattr(label, "language", None) == "zh"
        ]
        if labels:
            codes.names[code] = labels[0]
        codes.obsolete[code] = [str(o) for o in graph.objects(concept, BK.obsoleteName)]
    for code, name in codes.names.items():
        if len(code) == 3:
            codes._by_name[name] = code
            for old in codes.obsolete.get(code, []):
                codes._by_name.setdefault(old, code)
    return codes
