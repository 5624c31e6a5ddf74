"""The architecture's rules, read from the source: views and API modules never touch a model
manager (reads go through ``queries``), and the ORM writes only in services (and a short,
named list of operational logs). Each rule names the file and line that breaks it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "samtrygg"

# Attributes that reach a model's manager.
MANAGER_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
# Queryset and instance methods that always write.
ALWAYS_WRITES = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
# Methods that write when called the ORM's way: keywords only (``save()``,
# ``save(update_fields=…)``, ``delete()``, ``create(**fields)``, ``update(field=…)``). A
# positional argument means another API (``workbook.save(out)``, ``storage.delete(name)``).
WRITES_WITH_KEYWORDS_ONLY = {"save", "delete", "create", "update"}

# Where the ORM may write outside the services: operational logs and loaders, each with why.
WRITE_ALLOWED: dict[str, str] = {
    "core/audit.py": "the audit trail itself and the audited-change helpers",
    "core/jobs.py": "JobRun, the job log kept by Celery's signals",
    "core/reference.py": "shipped reference data (län, kommuner, folkmängd), like a migration",
    "core/demo.py": "the demo loader (records marked as demo data)",
    "observations/tasks.py": "the idempotency key of the import's JobRun",
    "sources/fetch.py": "the police fetch's call log, lock and SourceRun",
    "sources/data_kinds.py": "the SourceRun log of a command-line import",
    "situation/exports.py": "generated-document rows and their JobRun (job bookkeeping)",
    "situation/tasks.py": "generated-document files and the digest delivery log",
}


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _is_view_or_api(path: Path) -> bool:
    name = _relative(path)
    return (
        path.name in ("views.py", "api.py", "views_helpers.py")
        or name.startswith("api/")
        or "views" in path.parent.name
    )


def _is_service(path: Path) -> bool:
    return path.name == "services.py" or path.parent.name == "services"


def _is_demo(path: Path) -> bool:
    return path.name == "demo_data.py"


def manager_uses(source: str) -> list[tuple[int, str]]:
    """(line, text) of every place that reaches a model manager."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in MANAGER_ATTRIBUTES:
            found.append((node.lineno, f".{node.attr}"))
    return sorted(found)


def orm_writes(source: str) -> list[tuple[int, str]]:
    """(line, text) of every call that writes through the ORM."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if name in ALWAYS_WRITES or (name in WRITES_WITH_KEYWORDS_ONLY and not node.args):
            found.append((node.lineno, f".{name}()"))
    return sorted(found)


VIEW_MODULES = [p for p in _modules() if _is_view_or_api(p)]
OTHER_MODULES = [
    p
    for p in _modules()
    if not _is_service(p) and not _is_demo(p) and _relative(p) not in WRITE_ALLOWED
]


@pytest.mark.parametrize("path", VIEW_MODULES, ids=_relative)
def test_views_and_api_never_touch_a_manager(path: Path) -> None:
    uses = manager_uses(path.read_text(encoding="utf-8"))
    assert not uses, (
        f"{_relative(path)} reaches a model manager (read through queries.py instead): "
        + ", ".join(f"line {line} {text}" for line, text in uses)
    )


@pytest.mark.parametrize("path", OTHER_MODULES, ids=_relative)
def test_orm_writes_only_in_services(path: Path) -> None:
    writes = orm_writes(path.read_text(encoding="utf-8"))
    assert not writes, (
        f"{_relative(path)} writes outside a service (move it into services.py): "
        + ", ".join(f"line {line} {text}" for line, text in writes)
    )


def test_the_rules_see_what_they_forbid() -> None:
    assert manager_uses("Area.objects.filter(pk=1)\n") == [(1, ".objects")]
    assert manager_uses("get_user_model()._default_manager.all()\n") == [(1, "._default_manager")]
    writes = (
        "a.save()\nb.save(update_fields=['x'])\nqs.update(x=1)\nqs.delete()\n"
        "M.objects.create(x=1)\n"
    )
    assert [line for line, _text in orm_writes(writes)] == [1, 2, 3, 4, 5]
    assert orm_writes("workbook.save(out)\nstorage.delete(name)\nitems.update(other)\n") == []


def test_allowed_writers_exist_and_the_views_are_found() -> None:
    for name in WRITE_ALLOWED:
        assert (PACKAGE / name).exists(), f"{name} is allowed to write but no longer exists"
    assert len(VIEW_MODULES) >= 10
