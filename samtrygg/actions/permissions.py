"""Who may do what with meetings, actions and safety walks (docs/domain.md, Roller)."""

from __future__ import annotations

from typing import Any

from samtrygg.core.models import Role
from samtrygg.core.permissions import COORDINATING_ROLES, Actor

# Plan and decide: meetings, actions for any organisation, walks.
PLAN_ROLES = COORDINATING_ROLES
# Read every action, meeting and walk of the partnership.
READ_ALL_ROLES = frozenset({Role.SAMORDNARE, Role.KOMMUNPOLIS, Role.ANALYTIKER})
# Follow up the whole partnership: actions' status and progress, meetings' decisions and
# walks' summaries, but no single reports (linked reports and meeting notes stay hidden).
FOLLOW_UP_ROLES = frozenset({Role.STYRGRUPP})
# See every action, meeting and walk of the partnership.
OVERVIEW_ROLES = READ_ALL_ROLES | FOLLOW_UP_ROLES
# Read and update the actions their own organisation owns.
OWN_ORG_ROLES = frozenset({Role.RAPPORTOR})
# Anyone who sees some actions.
ACTION_ROLES = OVERVIEW_ROLES | OWN_ORG_ROLES


def can_plan(actor: Actor) -> bool:
    return actor.has(PLAN_ROLES)


def can_update_progress(actor: Actor, action: Any) -> bool:
    """Coordinators, and the members of the owner organisation (not the analyst, who reads)."""
    if actor.has(PLAN_ROLES):
        return True
    return actor.has(OWN_ORG_ROLES) and action.owner_id in actor.organisation_ids
