"""The architecture's rules, read from the source: views and API modules never touch a model
manager (reads go through ``queries``), the ORM writes only in services (and a short, named
list of operational logs), and what a request sends is read only through a form or a filter
definition. Each rule names the file and line that breaks it."""

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
    "observations/columns.py": "the reports' kept columns: a copy for the lägesbild, no record",
    "sources/fetch.py": "the police fetch's call log, lock and SourceRun",
    "sources/data_kinds.py": "the SourceRun log of a command-line import",
    "situation/exports.py": "generated-document rows and their JobRun (job bookkeeping)",
    "situation/tasks.py": "generated-document files and the digest delivery log",
}


# Where the request's query string or posted fields may be read other than through a form, each
# with why.
HAND_READS_ALLOWED: dict[str, str] = {
    "core/views_helpers.py": "the page number of paginate(): Paginator.get_page reads any text",
    "core/throttling.py": "django-axes' callables get the bare request before any form exists",
}
# Besides form classes (``…Form(request.POST)``), the list filters that are one definition
# shared with the API (a ninja FilterSchema) take the whole query string.
FILTER_READERS = {
    "filter_from": "observations' list filters (ObservationFilterParams, also the API's)",
    "from_params": "sources' police-event filters (EventFilterParams, also the API's)",
}
REQUEST_DATA = {"GET", "POST"}


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


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def hand_reads(source: str) -> list[tuple[int, str]]:
    """(line, text) of every place that reads ``request.GET``/``request.POST`` other than by
    handing the whole of it to a form class or a filter definition."""
    tree = ast.parse(source)
    handed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callee = _callee(node)
            if callee.endswith("Form") or callee == "form_class" or callee in FILTER_READERS:
                handed.update(id(arg) for arg in [*node.args, *(k.value for k in node.keywords)])
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in REQUEST_DATA
            and (
                (isinstance(node.value, ast.Name) and node.value.id == "request")
                or (isinstance(node.value, ast.Attribute) and node.value.attr == "request")
            )
            and id(node) not in handed
        ):
            found.append((node.lineno, f"request.{node.attr}"))
    return sorted(found)


VIEW_MODULES = [p for p in _modules() if _is_view_or_api(p)]
READING_MODULES = [
    p for p in _modules() if _relative(p) not in HAND_READS_ALLOWED and p.name != "forms.py"
]
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


@pytest.mark.parametrize("path", READING_MODULES, ids=_relative)
def test_requests_are_read_through_forms(path: Path) -> None:
    reads = hand_reads(path.read_text(encoding="utf-8"))
    assert not reads, (
        f"{_relative(path)} reads the request by hand (hand the whole of it to a Django form, "
        "e.g. core.forms.SubmitForm for the pressed button, FilterForm for a list's filters): "
        + ", ".join(f"line {line} {text}" for line, text in reads)
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
    reads = (
        "request.POST.get('a')\npost = request.POST\n_values(request.POST)\n"
        "request.GET.getlist('k')\nself.request.GET['q']\n"
    )
    assert [line for line, _text in hand_reads(reads)] == [1, 2, 3, 4, 5]
    handed = (
        "forms.ActionForm(request.POST)\nSubmitForm(data=request.POST)\nfilter_from(request.GET)\n"
    )
    assert hand_reads(handed) == []


def test_allowed_writers_exist_and_the_views_are_found() -> None:
    for name in WRITE_ALLOWED:
        assert (PACKAGE / name).exists(), f"{name} is allowed to write but no longer exists"
    for name in HAND_READS_ALLOWED:
        assert (PACKAGE / name).exists(), f"{name} may read requests but no longer exists"
    assert len(VIEW_MODULES) >= 10
