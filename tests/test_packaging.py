"""The project installs like real software: the wheel carries its data and works outside the checkout,
and requirements.lock pins, with hashes, every package installed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import distributions
from pathlib import Path

import pytest

from tests.conftest import ROOT

SAMPLE = ROOT / "examples" / "shuimogou-union-2025.txt"
LOCK = ROOT / "requirements.lock"
# What the wheel is built from: the package, its data and the metadata files pyproject.toml names.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "engine", "ontology", "grammar")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, tuple[str, int]]:
    """Name → (version, number of hashes) of every requirement in the lock."""
    out: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z])", LOCK.read_text(encoding="utf-8")):
        if m := re.match(r"([A-Za-z0-9_.-]+)==(\S+)", block):
            out[_normalise(m.group(1))] = (m.group(2), block.count("--hash=sha256:"))
    return out


def test_lock_pins_every_installed_package_with_hashes() -> None:
    locked = _locked()
    installed = {_normalise(d.metadata["Name"]): d.version for d in distributions()}
    missing = {n: v for n, v in installed.items() if n not in {"budget-kg", "pip"} and locked.get(n, ("",))[0] != v}
    assert not missing, f"installed but not pinned in requirements.lock: {missing}"
    assert all(hashes > 0 for _, hashes in locked.values())
    assert "--require-hashes -r requirements.lock" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_wheel_lists_every_package_of_engine() -> None:
    """pyproject.toml lists the packages by hand (two of them map ontology/ and grammar/): a new
    sub-package of engine/ must be added there or the wheel would lack it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "engine").rglob("__init__.py")}
    assert set(config["packages"]) == on_disk | set(config["package-dir"])
    assert config["package-dir"] == {"engine.ontology": "ontology", "engine.grammar": "grammar"}


def _findings(audit_json: str) -> list[tuple[str, str, str]]:
    return [(f["rule"], f["severity"], f["message"]) for d in json.loads(audit_json)["documents"] for f in d["findings"]]


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_venv_audits_the_sample_outside_the_checkout(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, src / name)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist", src], check=True)
    (wheel,) = (tmp_path / "dist").glob("budget_kg-*.whl")
    subprocess.run([sys.executable, "-m", "venv", tmp_path / "venv"], check=True)
    venv = tmp_path / "venv" / "bin"
    # Dependencies as the lock pins them, the wheel's own metadata resolving against them.
    runtime = tmp_path / "constraints.txt"
    runtime.write_text("".join(f"{n}=={v}\n" for n, (v, _) in _locked().items()), encoding="utf-8")
    subprocess.run([venv / "python", "-m", "pip", "install", "-q", "-c", runtime, wheel], check=True)

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(SAMPLE, outside / SAMPLE.name)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def installed(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([venv / "budget-kg", *args], capture_output=True, text=True, cwd=outside, env=env)

    where = subprocess.run(
        [venv / "python", "-c", "import engine.resources as r; print(r.data_path('ontology'))"],
        capture_output=True,
        text=True,
        cwd=outside,
        env=env,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(tmp_path / "venv"), "the installed package reads its own data"

    audit = installed("audit", SAMPLE.name, "--format", "json")
    assert audit.returncode in (0, 1), audit.stderr
    checkout = subprocess.run(
        [sys.executable, "-m", "engine", "audit", SAMPLE.name, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=outside,
        env={**env, "PYTHONPATH": str(ROOT)},
    )
    assert _findings(audit.stdout) == _findings(checkout.stdout) != []
    assert audit.returncode == checkout.returncode

    rules = installed("rules")
    shapes = sorted(p.stem for d in ("shapes", "crossdoc-shapes") for p in (ROOT / "ontology" / d).glob("*.ttl"))
    assert rules.returncode == 0
    assert sorted(set(re.findall(r"^\| (BK-[A-Z]+-\d+) \|", rules.stdout, re.M))) == shapes
    refused = installed("rules", "--write")
    assert refused.returncode == 2 and "give -o FILE" in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert installed("rules", "--write", "-o", "rules.md").returncode == 0
    assert (outside / "rules.md").read_text(encoding="utf-8") == rules.stdout
    from engine import __version__

    assert (
        subprocess.run(
            [venv / "python", "-m", "engine", "--version"], capture_output=True, text=True, cwd=outside
        ).stdout
        == f"budget-kg {__version__}\n"
    )
    assert any((tmp_path / "venv").glob("lib/python3*/site-packages/budget_kg-*.dist-info/licenses/LICENSE"))
