"""Who may do what with problems, the statutory lägesbild and the åtgärdsplan
(docs/domain.md, Roller)."""

from __future__ import annotations

from samtrygg.core.models import Role
from samtrygg.core.permissions import COORDINATING_ROLES

# Draft, edit, record decisions, adopt: samordnare and kommunpolis.
EDIT_ROLES = COORDINATING_ROLES
# Read problems, drafts, the plan and its follow-up.
READ_ROLES = frozenset({Role.SAMORDNARE, Role.KOMMUNPOLIS, Role.ANALYTIKER, Role.STYRGRUPP})
# Read adopted versions (a decided document of the kommun) and the compliance page.
ADOPTED_ROLES = READ_ROLES | {Role.RAPPORTOR}
# Record decisions about a document (this app's and the apps' above it).
DECISION_ROLES = COORDINATING_ROLES
