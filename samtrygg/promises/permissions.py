"""Who may do what with agreements, promises and follow-ups (docs/domain.md, Roller).

Everyone with a role in the partnership reads them (a signed promise is public anyway);
the samordnare and the kommunpolis draft, sign, record decisions and follow up.
"""

from __future__ import annotations

from samtrygg.core.models import Role
from samtrygg.core.permissions import COORDINATING_ROLES

WRITE_ROLES = COORDINATING_ROLES
READ_ROLES = frozenset(Role.values)
