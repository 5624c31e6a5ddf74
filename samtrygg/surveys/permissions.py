"""Who may do what with surveys, published figures and dialogues (docs/surveys.md)."""

from __future__ import annotations

from samtrygg.core.models import Role
from samtrygg.core.permissions import COORDINATING_ROLES, SETUP_ROLES

# Plan surveys, issue codes, open the web survey, record dialogues.
MANAGE_ROLES = COORDINATING_ROLES
# Bring data in and take it out: answers, published figures, exports.
DATA_ROLES = COORDINATING_ROLES | frozenset({Role.ANALYTIKER})
# Read results (aggregates only, never an answer) and dialogues.
READ_ROLES = DATA_ROLES | frozenset({Role.STYRGRUPP, Role.RAPPORTOR})
# Bring the own questions of an adopted county template into the question library (the
# roles that adopt it; asking them in a wave stays with MANAGE_ROLES).
TEMPLATE_ROLES = MANAGE_ROLES | SETUP_ROLES
