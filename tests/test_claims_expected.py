"""The narrative claims a person read from three documents are all produced, and on the sample every
number of 第三部分 is either claimed or listed, with its reason, as not a claim."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from engine.model import Claim
from engine.vocab import subject_name
from tests.conftest import CORPUS, EXPECTED, read

DOCUMENTS = ["shuimogou-union-2025", "district-office-2025-unit-budget", "social-work-2024-dept-final"]
FIELDS = ("subject", "kind", "value", "unit", "basis", "direction", "line")


def _key(claim: Claim) -> tuple:
    value = str(claim.value.value) if claim.value is not None else None
    return (subject_name(claim.subject), claim.kind, value, claim.unit, claim.basis, claim.direction, claim.span.line)


@pytest.mark.parametrize("stem", DOCUMENTS)
def test_every_hand_read_claim_is_produced(corpus, stem):
    """Matched on subject, kind, value (as printed, without separators), unit, basis, direction, line."""
    loaded = read(str(CORPUS / f"{stem}.txt"))
    produced = Counter(_key(c) for c in loaded.claims)
    lines = loaded.source.text.split("\n")
    misses = []
    for entry in json.loads((EXPECTED / f"{stem}.claims.json").read_text(encoding="utf-8")):
        key = tuple(entry[f] for f in FIELDS)
        if produced[key] > 0:
            produced[key] -= 1
            continue
        near = [k for k in produced if k[-1] == entry["line"]]
        misses.append(
            f"{stem}.txt:{entry['line']}: {key}\n    {lines[entry['line'] - 1].strip()}\n    produced there: {near}"
        )
    assert not misses, f"{len(misses)} expected claims not produced:\n" + "\n".join(misses)


def _numbers_of_part_three(text: str) -> list[tuple[int, str]]:
    """(line, digits) of every number printed in 第三部分 of the sample, a number wrapped onto the next
    line ("‘=7" + ".58") read whole; thousands separators dropped."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("第三部分"))
    end = next(i for i, line in enumerate(lines) if line.strip().startswith("第四部分"))
    found: list[tuple[int, str]] = []
    carry: tuple[int, str] | None = None
    for i in range(start, end):
        line = lines[i].strip()
        if not line:
            continue
        numbers = [m for m in re.finditer(r"\d[\d,]*(?:\.\d+)?|\.\d+", line)]
        if carry and numbers and numbers[0].start() == 0:
            found.append((carry[0], carry[1] + numbers.pop(0).group(0)))
        elif carry:
            found.append(carry)
        carry = None
        for j, m in enumerate(numbers):
            digits = (i + 1, m.group(0).replace(",", ""))
            if j == len(numbers) - 1 and m.end() == len(line):
                carry = digits
            else:
                found.append(digits)
    if carry:
        found.append(carry)
    return found


def test_every_number_of_part_three_is_claimed_or_excepted(corpus):
    """The exception list is exact: a number neither claimed nor excepted fails, and so does an
    exception the parser claims."""
    loaded = read(str(CORPUS / "shuimogou-union-2025.txt"))
    claimed = Counter((c.span.line, re.sub(r"[\s,]", "", c.span.text)) for c in loaded.claims if c.value is not None)
    exceptions = json.loads((EXPECTED / "shuimogou-union-2025.narrative-exceptions.json").read_text(encoding="utf-8"))
    excepted = Counter((e["line"], e["text"]) for e in exceptions)
    problems = []
    for number in _numbers_of_part_three(loaded.source.text):
        in_claims, in_exceptions = claimed[number] > 0, excepted[number] > 0
        if in_claims and in_exceptions:
            problems.append(f"line {number[0]}: {number[1]} is claimed and also listed as an exception")
        elif not in_claims and not in_exceptions:
            problems.append(f"line {number[0]}: {number[1]} is neither claimed nor an exception")
        if in_claims:
            claimed[number] -= 1
        if in_exceptions:
            excepted[number] -= 1
    problems += [f"line {k[0]}: exception {k[1]} matches no printed number" for k, n in excepted.items() if n > 0]
    assert not problems, "\n".join(problems)
