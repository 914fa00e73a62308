"""What a figure is about: a measure, found by the skos:altLabels of ontology/measures.ttl, or a
function class, found by its official name; the label ending last in the phrase wins, the longest
where several end together. Data-driven: the phrases live in the ontology, not here."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from engine.narrative.codepaths import class_names, fold
from engine.resources import data_path
from engine.vocab import code_concept, code_of, measure_of, subject_name

MEASURES = data_path("ontology", "measures.ttl")


@dataclass(frozen=True, slots=True)
class Match:
    """A label found in a phrase: the subjects it names and where it is in the folded phrase."""

    label: str
    subjects: tuple[str, ...]
    start: int
    end: int


@dataclass(slots=True)
class Subjects:
    """Label index over measures and function classes."""

    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folded label → subjects
    labels_of: dict[str, list[str]] = field(default_factory=dict)  # subject → its folded labels
    broader: dict[str, str] = field(default_factory=dict)  # measure → its skos:broader
    wholes: dict[str, str] = field(default_factory=dict)  # measure → the whole it adds to or lies within
    _last: re.Pattern[str] | None = None  # reversed labels: the first hit ends last in the phrase
    _first: re.Pattern[str] | None = None

    def add(self, label: str, subject: str) -> None:
        key = fold(label)
        if key and subject not in self.labels.get(key, ()):
            self.labels[key] = (*self.labels.get(key, ()), subject)
            self.labels_of.setdefault(subject, []).append(key)

    def compile(self) -> None:
        by_length = sorted(self.labels, key=len, reverse=True)
        self._last = re.compile("|".join(re.escape(k[::-1]) for k in by_length))
        self._first = re.compile("|".join(re.escape(k) for k in by_length))

    def last(self, phrase: str) -> Match | None:
        """The label that ends last in the folded phrase (the longest of those ending there)."""
        assert self._last is not None
        m = self._last.search(phrase[::-1])
        if m is None:
            return None
        label = m.group(0)[::-1]
        end = len(phrase) - m.start()
        return Match(label, self.labels[label], end - len(label), end)

    def leading(self, phrase: str) -> list[Match]:
        """Labels that open the phrase (after at most two characters: "使用…") and follow each
        other joined by one character ("无政府性基金预算拨款和国有资本经营预算" → two)."""
        assert self._first is not None
        found: list[Match] = []
        pos = 0
        for m in self._first.finditer(phrase):
            if m.start() - pos > (1 if found else 2):
                break
            found.append(Match(m.group(0), self.labels[m.group(0)], m.start(), m.end()))
            pos = m.end()
        return found

    def across(self, before: str, after: str, at_join: bool = True) -> Match | None:
        """A label that begins in `before` (or, if `at_join`, at its end) and goes on into `after`:
        the noun a classifier counts ("下属" 1 "家预算单位" → 下属预算单位)."""
        assert self._first is not None
        joined = before + after
        best: Match | None = None
        for start in range(len(before) if at_join else len(before) - 1, -1, -1):
            m = self._first.match(joined, start)
            if m and m.end() > len(before) and (best is None or m.end() - start > best.end - best.start):
                best = Match(m.group(0), self.labels[m.group(0)], start, m.end())
        return best

    def qualified(self, label: str, previous: str | None) -> str | None:
        """The measure a label names under the subject before it in the sentence: a head of one of
        the previous subject's labels + this label is itself a label ("安排购置" + "部级领导干部用车",
        "车辆" + "价值", "绩效自评" + "涉及预算金额")."""
        if previous is None:
            return None
        for head in self.labels_of.get(previous, []):
            for k in range(len(head), 1, -1):
                subjects = self.labels.get(head[:k] + label)
                if subjects:
                    return subjects[0]
        return None

    def choose(self, subjects: tuple[str, ...], previous: str | None) -> str:
        """One of several subjects a label names: the sibling or child of the previous claim's subject
        (其他资金 after 本级资金 is perf_funds_other; after 财政拨款 of a project, project_budget_other)."""
        if len(subjects) > 1 and previous is not None:
            family = {previous, self.broader.get(previous)}
            for s in subjects:
                if self.broader.get(s) in family:
                    return s
        return sorted(subjects)[0]


@cache
def subjects(names_a_basis: Callable[[str], bool]) -> Subjects:
    """The index, read once per process from the measure scheme and the function code list. Labels
    that the grammar reads as the basis of a figure ("年初预算", "支出决算") are left out: such
    measures qualify another subject's figure (Claim.basis), they are never its subject."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from engine.vocab import BK

    graph = Graph().parse(MEASURES, format="turtle")
    index = Subjects()
    for concept, _ in sorted(graph.subject_objects(SKOS.notation), key=lambda pair: str(pair[1])):
        subject = str(concept)
        for label in sorted(str(o) for o in graph.objects(concept, SKOS.altLabel)):
            if not names_a_basis(label):
                index.add(label, subject)
        for parent in graph.objects(concept, SKOS.broader):
            parent_notation = graph.value(parent, SKOS.notation)
            if parent_notation is not None:
                index.broader[subject] = str(parent)
        for whole in (*graph.objects(concept, BK.addsTo), *graph.objects(concept, BK.within)):
            index.wholes[subject] = str(whole)
    for name, code in sorted(class_names().items()):
        index.add(name, str(code_concept(code, "function")))
    index.compile()
    return index


@cache
def _measure_labels() -> dict[str, str]:
    """Each measure's Chinese skos:prefLabel, by notation."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    graph = Graph().parse(MEASURES, format="turtle")
    return {
        str(notation): str(label)
        for concept, notation in graph.subject_objects(SKOS.notation)
        for label in graph.objects(concept, SKOS.prefLabel)
        if getattr(label, "language", None) == "zh"
    }


def subject_label(subject: str) -> str:
    """What an auditor reads for a subject (an IRI): measure occupational_annuity → 职业年金金额, function
    class 2080506 → 行政单位离退休（2080506）; a subject the ontology does not name is printed by its name."""
    measure, code = measure_of(subject), code_of(subject)
    if measure is not None:
        return _measure_labels().get(measure, subject_name(subject))
    if code is not None:
        from engine.codes import code_list

        name = code_list(code[0]).name(code[1])
        return f"{name}（{code[1]}）" if name else subject_name(subject)
    return subject_name(subject)
