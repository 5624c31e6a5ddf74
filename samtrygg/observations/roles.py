"""Who may do what with reports (docs/domain.md, Roller).

Rapportör: writes and sees their own organisation's reports. Samordnare and kommunpolis: see
everything in the partnership, review, merge, configure. Analytiker: read and export.
Styrgrupp (and an administrator without another role): no single reports, only aggregates.
"""

from __future__ import annotations

from samtrygg.core.models import Role
from samtrygg.core.permissions import COORDINATING_ROLES, SETUP_ROLES

# See every report of the partnership.
READ_ALL_ROLES = frozenset({Role.SAMORDNARE, Role.KOMMUNPOLIS, Role.ANALYTIKER})
# See single reports at all (a rapportör only their own organisation's).
READ_ROLES = READ_ALL_ROLES | {Role.RAPPORTOR}
# File reports (form, API, import).
REPORT_ROLES = frozenset({Role.RAPPORTOR, Role.SAMORDNARE, Role.KOMMUNPOLIS})
# Change any report, mark reviewed, merge duplicates.
REVIEW_ROLES = COORDINATING_ROLES
# See what became of their organisation's reports (the feedback page of the lägesbild).
FEEDBACK_ROLES = frozenset({Role.RAPPORTOR, Role.SAMORDNARE, Role.KOMMUNPOLIS})
# Export the filtered list.
EXPORT_ROLES = READ_ALL_ROLES
# Edit categories, the police type mapping and time bands.
CONFIG_ROLES = SETUP_ROLES
