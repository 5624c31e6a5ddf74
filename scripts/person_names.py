"""Write samtrygg/core/reference/person_names.txt, the name list of the privacy screen.

The names come from the Swedish person provider of Faker (MIT licence), which takes them from
open name statistics: the 500 most common surnames registered with Skatteverket (2025) and the
500 most common first names of women and of men from Isof, Institutet för språk och folkminnen
(2023). Only the names are kept, not their frequencies. Faker is a test dependency
(``make install-test``); the screen itself reads only the text file.

Run: ``.venv/bin/python scripts/person_names.py`` after upgrading Faker;
``tests/core/test_privacy_names.py`` checks that the file matches the installed Faker.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "samtrygg" / "core" / "reference" / "person_names.txt"


def render() -> str:
    """The file's text, built from the installed Faker."""
    from importlib.metadata import version

    from faker.providers.person.sv_SE import Provider

    first = sorted(set(Provider.first_names_female) | set(Provider.first_names_male))
    last = sorted(set(Provider.last_names))
    lines = [
        "# Namnlista för integritetsfiltret (samtrygg.core.privacy).",
        f"# Källa: Faker {version('faker')} (MIT-licens), providers/person/sv_SE, som bygger",
        "# på öppen namnstatistik:",
        "# Isof, de 500 vanligaste förnamnen för kvinnor och för män (2023),",
        "# och Skatteverket, de 500 vanligaste efternamnen (2025). Bara namnen, inga frekvenser.",
        "# Skapas av scripts/person_names.py; ändra inte för hand. Se docs/privacy.md.",
        "[förnamn]",
        *first,
        "[efternamn]",
        *last,
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"Skrev {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
