"""Who may do what with the county template (docs/county.md, Länets mall).

The länssamordnare of a län edits, previews and publishes its template (checked against the
assignment, ``county.scope``). In a partnership, the samordnare and the administratör adopt a
published version for their kommun; every role of the partnership reads what it adopted
(the guidance, the categories, the survey items).
"""

from __future__ import annotations

from samtrygg.core.models import Role

ADOPT_ROLES = frozenset({Role.SAMORDNARE, Role.ADMINISTRATOR})
READ_ROLES = frozenset(Role.values)
