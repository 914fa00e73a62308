"""The 政府收支分类科目 code lists (ontology/codes/*.ttl) are well formed and cover the corpus.

function.ttl: 支出功能分类科目, levels 类 (3 digits) / 款 (5) / 项 (7).
economic.ttl: 部门预算支出经济分类科目, levels 类 (3 digits) / 款 (5).
"""

import pathlib
import re

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

ROOT = pathlib.Path(__file__).resolve().parents[1]
CODES = ROOT / "ontology" / "codes"
CORPUS = pathlib.Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

BK = Namespace("https://budget-kg.org/ns#")

SCHEMES = {
    "function": {
        "file": CODES / "function.ttl",
        "scheme": URIRef("https://budget-kg.org/code/function"),
        "ns": "https://budget-kg.org/code/function/",
        "levels": {3: "类", 5: "款", 7: "项"},
    },
    "economic": {
        "file": CODES / "economic.ttl",
        "scheme": URIRef("https://budget-kg.org/code/economic"),
        "ns": "https://budget-kg.org/code/economic/",
        "levels": {3: "类", 5: "款"},
    },
}

# Codes printed in a corpus table that are not codes of the official classification.
# They are audit findings, so they must stay out of the lists.
KNOWN_NOT_OFFICIAL = {
    # welfare-home-2024-unit-budget.txt:318 "302 10 车辆运行费": the unit numbered its 302 款
    # 01..13 in sequence instead of using the official codes (30210 does not exist).
    "economic": {"30210"},
    "function": set(),
}

# Current 类 that must be present whether or not the corpus prints them.
FUNCTION_CLASSES = (
    [str(c) for c in range(201, 218)]
    + [str(c) for c in range(219, 225)]
    + ["227", "229", "230", "231", "232", "233", "234"]
)
ECONOMIC_CLASSES = ["301", "302", "303", "307", "309", "310", "311", "312", "313", "399"]


@pytest.fixture(scope="module", params=sorted(SCHEMES))
def scheme(request):
    spec = SCHEMES[request.param]
    g = Graph()
    g.parse(spec["file"], format="turtle")
    return request.param, spec, g


def concepts(g, spec):
    return {c for c in g.subjects(RDF.type, SKOS.Concept)}


def notations(g, spec):
    return {str(g.value(c, SKOS.notation)) for c in concepts(g, spec)}


def test_scheme_declared(scheme):
    name, spec, g = scheme
    assert (spec["scheme"], RDF.type, SKOS.ConceptScheme) in g
    labels = {lbl.language for lbl in g.objects(spec["scheme"], SKOS.prefLabel)}
    assert {"zh", "en"} <= labels


def test_every_concept_is_complete(scheme):
    name, spec, g = scheme
    cs = concepts(g, spec)
    assert cs, f"{name}: no concepts"
    problems = []
    for c in sorted(cs):
        notation = g.value(c, SKOS.notation)
        if notation is None or not re.fullmatch(r"\d+", str(notation)):
            problems.append(f"{c}: missing or non-numeric skos:notation")
            continue
        code = str(notation)
        if str(c) != spec["ns"] + code:
            problems.append(f"{c}: IRI does not end in its notation {code}")
        if len(list(g.objects(c, SKOS.notation))) != 1:
            problems.append(f"{code}: more than one notation")
        if (c, SKOS.inScheme, spec["scheme"]) not in g:
            problems.append(f"{code}: not skos:inScheme {spec['scheme']}")
        zh = [lbl for lbl in g.objects(c, SKOS.prefLabel) if getattr(lbl, "language", None) == "zh"]
        if len(zh) != 1 or not str(zh[0]).strip():
            problems.append(f"{code}: needs exactly one non-empty @zh skos:prefLabel")
        elif re.search(r"\s", str(zh[0])):
            problems.append(f"{code}: prefLabel contains whitespace (line-wrap remnant?)")
        expected = spec["levels"].get(len(code))
        level = g.value(c, BK.level)
        if expected is None:
            problems.append(f"{code}: notation length {len(code)} is not a level of {name}")
        elif level is None or str(level) != expected:
            problems.append(f"{code}: bk:level {level!r}, notation length says {expected}")
        broader = list(g.objects(c, SKOS.broader))
        if len(code) == 3:
            if broader:
                problems.append(f"{code}: a 类 has no broader concept")
            if (c, SKOS.topConceptOf, spec["scheme"]) not in g:
                problems.append(f"{code}: 类 is not skos:topConceptOf the scheme")
        else:
            parent = URIRef(spec["ns"] + code[:-2])
            if broader != [parent]:
                problems.append(f"{code}: skos:broader {broader}, expected [{parent}]")
            elif (parent, RDF.type, SKOS.Concept) not in g:
                problems.append(f"{code}: broader concept {code[:-2]} does not exist")
    assert not problems, "\n".join(problems)


def test_obsolete_names(scheme):
    """A renamed code carries its old name as both skos:hiddenLabel and bk:obsoleteName."""
    name, spec, g = scheme
    for c in concepts(g, spec):
        hidden = {(str(x), x.language) for x in g.objects(c, SKOS.hiddenLabel)}
        obsolete = {(str(x), x.language) for x in g.objects(c, BK.obsoleteName)}
        assert hidden == obsolete, c
        pref = {str(x) for x in g.objects(c, SKOS.prefLabel)}
        assert not pref & {h for h, _ in hidden}, c
        assert all(lang == "zh" for _, lang in hidden), c


def test_renames_recorded():
    g = Graph()
    g.parse(SCHEMES["function"]["file"], format="turtle")
    fn = Namespace(SCHEMES["function"]["ns"])
    for code, old in [("210", "医疗卫生与计划生育支出"), ("20805", "行政事业单位离退休")]:
        assert (fn[code], BK.obsoleteName, Literal(old, lang="zh")) in g


def test_current_classes_present():
    for key, classes in (("function", FUNCTION_CLASSES), ("economic", ECONOMIC_CLASSES)):
        g = Graph()
        g.parse(SCHEMES[key]["file"], format="turtle")
        have = {str(n) for n in g.objects(None, SKOS.notation)}
        assert set(classes) <= have, sorted(set(classes) - have)


# ---------------------------------------------------------------------------
# Corpus coverage: every code printed in a table row is in the lists.
#
# A code is a 类 alone, or a 类 with 款 (and 项), either spaced into columns
# ("201   03   01", "201 29 01", "301    01") or run together ("2013901", "30101").
# It must not be part of a number: no digit, "," "." "%" right after it.
_FN_CLASS = r"2(?:0[1-9]|[12]\d|3\d)"
_EC_CLASS = r"3(?:0[1-9]|1\d|99)"
_CODE = (
    rf"(?:{_FN_CLASS}(?:[ \t]+\d\d){{0,2}}|{_FN_CLASS}\d\d(?:\d\d)?"
    rf"|{_EC_CLASS}(?:[ \t]+\d\d)?|{_EC_CLASS}\d\d)"
)
_END = r"(?![\d,.．%])(?=[ \t]|[\u4e00-\u9fff]|$)"
# At the start of a row (pdftotext may leave leading blanks; a form feed may precede
# the first row of a page).
ROW_START = re.compile(rf"^[ \t\f]*(?P<code>{_CODE}){_END}", re.M)
# The right-hand half of a two-column table (收支总表; the 决算 基本支出 table):
# a code after an amount or after the left half's name, followed by its own name.
ROW_RIGHT = re.compile(
    rf"(?<=[\d\u4e00-\u9fff）)])[ \t]+(?P<code>{_CODE})(?![\d,.．%])[ \t]*"
    r"(?=[\u4e00-\u9fff])(?![万元个人年月日项辆台套次])"
)
_SPACES = re.compile(r"[ \t]+")


def corpus_codes():
    """{code: [file:line, ...]} for every code found in a table row of a corpus text."""
    found = {}
    files = sorted(CORPUS.glob("*.txt"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        for rx in (ROW_START, ROW_RIGHT):
            for m in rx.finditer(text):
                code = _SPACES.sub("", m.group("code"))
                line = text.count("\n", 0, m.start("code")) + 1
                found.setdefault(code, []).append(f"{path.name}:{line}")
    return files, found


@pytest.fixture(scope="module")
def scanned():
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    files, found = corpus_codes()
    if not files:
        pytest.skip(f"no .txt files in {CORPUS}")
    return found


def test_scan_sees_every_layout(scanned):
    """Guard against a regex that silently matches nothing: one code per layout."""
    expected = {
        "2010301": "201   03   01 in pdftotext layout",
        "2010604": "201   06   04 预算改革业务 (single space before the name)",
        "2013901": "2013901 in 决算 text",
        "2012901": "201 29 01 in shuimogou-union-2025.txt",
        "2080505": "208 05 05 alone on its line (name wrapped below)",
        "30101": "301   01 economic row",
        "30206": "30206 in the right half of the 决算 基本支出 table",
        "30224": "302    24 in the right half of the 决算 基本支出 table",
        "310": "310资本性支出 (code glued to its name)",
        "233": "233 债务发行费用支出 in the right half of a 收支总表",
    }
    missing = {c: why for c, why in expected.items() if c not in scanned}
    assert not missing, missing


@pytest.mark.parametrize("key", ["function", "economic"])
def test_corpus_codes_are_listed(scanned, key):
    g = Graph()
    g.parse(SCHEMES[key]["file"], format="turtle")
    listed = {str(n) for n in g.objects(None, SKOS.notation)}
    first = "2" if key == "function" else "3"
    mine = {c: where for c, where in scanned.items() if c[0] == first}
    known = KNOWN_NOT_OFFICIAL[key]
    missing = {c: where[:3] for c, where in mine.items() if c not in listed and c not in known}
    assert not missing, f"codes printed in the corpus but missing from {key}.ttl: {missing}"
    assert not (known & listed), f"non-official codes listed in {key}.ttl: {known & listed}"
    assert known <= set(mine), f"known non-official codes no longer in the corpus: {known - set(mine)}"
