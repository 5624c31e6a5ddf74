"""Every environment variable the settings read is documented in docs/configuration.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "samtrygg" / "settings.py"
DOC = ROOT / "docs" / "configuration.md"

_PATTERNS = [
    r"""os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]*)["']""",
    r"""os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]""",
    r"""os\.getenv\(\s*["']([A-Z][A-Z0-9_]*)["']""",
    r"""os\.environ\.setdefault\(\s*["']([A-Z][A-Z0-9_]*)["']""",
    r"""\b_list\(\s*["']([A-Z][A-Z0-9_]*)["']""",
]


def settings_variables(source: str) -> set[str]:
    return {name for pattern in _PATTERNS for name in re.findall(pattern, source)}


def test_the_parser_finds_variables_in_every_form() -> None:
    sample = (
        'A = os.environ.get("ALPHA", "x")\n'
        "B = os.environ['BETA']\n"
        'C = _list("GAMMA", "")\n'
        'D = os.getenv( "DELTA_2" )\n'
        "E = os.environ.get(name)\n"
    )
    assert settings_variables(sample) == {"ALPHA", "BETA", "GAMMA", "DELTA_2"}


def test_the_settings_read_the_variables_we_know_of() -> None:
    found = settings_variables(SETTINGS.read_text(encoding="utf-8"))
    assert {
        "SECRET_KEY",
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "SAMTRYGG_ENV",
        "REDIS_URL",
        "EMAIL_URL",
        "CSRF_TRUSTED_ORIGINS",
    } <= found


def test_every_settings_variable_is_documented() -> None:
    assert DOC.exists(), "docs/configuration.md saknas"
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]*)`", DOC.read_text(encoding="utf-8")))
    missing = sorted(settings_variables(SETTINGS.read_text(encoding="utf-8")) - documented)
    assert missing == [], f"odokumenterade miljövariabler i docs/configuration.md: {missing}"
