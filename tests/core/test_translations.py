"""The English catalogue covers every Swedish text of the code and templates.

Runs Django's makemessages on a copy of the package (the real catalogue is never touched) and
fails on any text without an English translation or with a fuzzy one, naming them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "samtrygg"


def _entries(po: Path, flag: str) -> list[str]:
    done = subprocess.run(
        ["msgattrib", flag, "--no-location", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    blocks = done.stdout.split("\n\n")
    return [b.strip() for b in blocks if "msgid" in b and 'msgid ""\nmsgstr ""\n"Project' not in b]


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgattrib") is None,
    reason="gettext is not installed (make system installs it)",
)
def test_every_text_has_an_english_translation(tmp_path: Path) -> None:
    copy = tmp_path / "samtrygg"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "*.geojson", "migrations"),
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "samtrygg.settings",
        "SAMTRYGG_VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "en", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
    )
    po = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    # The placeholders of each translation must match its Swedish text's (%(n)d and friends).
    subprocess.run(["msgfmt", "--check-format", "-o", os.devnull, str(po)], check=True)
    missing = _entries(po, "--untranslated") + _entries(po, "--only-fuzzy")
    assert not missing, "Texts without an English translation:\n\n" + "\n\n".join(missing)
