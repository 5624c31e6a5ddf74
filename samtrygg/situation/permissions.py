"""Who may do what with lägesbilder (docs/domain.md, Roller)."""

from __future__ import annotations

from samtrygg.core.models import Role
from samtrygg.core.permissions import COORDINATING_ROLES

# Compile and adopt: samordnare and kommunpolis.
COMPILE_ROLES = COORDINATING_ROLES
# Co-sign when the partnership asks for it.
COSIGN_ROLES = frozenset({Role.KOMMUNPOLIS})
# See the live, computed picture (every number, the points on the map).
LIVE_ROLES = frozenset({Role.SAMORDNARE, Role.KOMMUNPOLIS, Role.ANALYTIKER})
# See adopted pictures.
ADOPTED_ROLES = LIVE_ROLES | {Role.STYRGRUPP, Role.RAPPORTOR}
# Feedback on their own organisation's reports.
FEEDBACK_ROLES = frozenset({Role.RAPPORTOR, Role.SAMORDNARE, Role.KOMMUNPOLIS})
