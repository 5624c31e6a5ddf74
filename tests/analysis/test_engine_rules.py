"""The engine's own rules: no Django, numpy and scipy only (h3 only in the grid module), and
every module explained in docs/analysis.md."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "samtrygg" / "analysis"
MODULES = sorted(p for p in PACKAGE.glob("*.py") if p.name != "__init__.py")


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", [*MODULES, PACKAGE / "__init__.py"], ids=lambda p: p.name)
def test_only_numpy_and_scipy(path: Path) -> None:
    allowed = {"numpy", "scipy", "samtrygg", *sys.stdlib_module_names}
    if path.name == "grid.py":
        allowed.add("h3")
    third_party = imported_roots(path) - allowed
    assert not third_party, f"{path.name} imports {sorted(third_party)}"
    assert "django" not in imported_roots(path)


def test_importing_the_engine_loads_neither_django_nor_h3() -> None:
    code = (
        "import sys, samtrygg.analysis, samtrygg.analysis.picture;"
        "print(sorted(m for m in ('django', 'h3') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_module_is_explained_in_the_docs() -> None:
    docs = (ROOT / "docs" / "analysis.md").read_text(encoding="utf-8")
    for path in MODULES:
        if not path.name.startswith("_"):
            assert f"`{path.stem}`" in docs or f"{path.stem}.py" in docs, path.name
    for name in ("compute_picture", "gi_star", "Benjamini", "Getis", "Mann", "Garwood"):
        assert name in docs


# Swedish in the engine's strings (docstrings and comments aside): its letters and the words of
# the sentences it once wrote.
SWEDISH = re.compile(
    r"[åäöÅÄÖ]|\b(och|mot|normalt|händelser?|vanligt|het|heta|punkt|punkter|ingen|inga)\b"
)
# The one place the engine still names something in Swedish, with why.
WORDS_ALLOWED = {
    ("binning.py", "period_label_sv"): "a period's Swedish name for file names and titles",
}


def swedish_strings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal in Swedish outside docstrings and allowed places."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.FunctionDef) and (path.name, node.name) in WORDS_ALLOWED:
            skipped.update(id(inner) for inner in ast.walk(node))
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and SWEDISH.search(node.value)
    )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_the_engine_gives_codes_and_numbers_not_words(path: Path) -> None:
    found = swedish_strings(path)
    assert not found, (
        f"{path.name} writes Swedish (give a code or a key; samtrygg.situation.wording words "
        f"it): {found}"
    )


def test_the_words_rule_sees_a_sentence(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        '"""Docstrings may say händelser."""\n'
        'def f():\n    return f"{n} händelser mot normalt {e}"\n'
        'LABEL = "het punkt"\n',
        encoding="utf-8",
    )
    assert [line for line, _text in swedish_strings(planted)] == [3, 4]
