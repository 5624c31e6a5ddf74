"""Every write to EST reports: validation, one transaction, the audit entry.

Forms, the API, imports and jobs call these functions and nothing else to change reports,
categories, the police type mapping or time bands. Every channel validates through the same
:func:`clean_incident`, so a refusal reads the same wherever it comes from, and every
free-text field passes the privacy screen (``core.privacy.ensure_clean``) before anything is
stored. A refusal is a DomainError with a Swedish message; nothing is half-saved.

The package is split by concern; every name is imported from here:
``validation`` (one incident, every channel), ``reports`` (filing, editing, reviewing,
merging), ``imports`` (a partner's log, all rows or none) and ``vocabulary`` (defaults,
categories, the police type mapping, time bands).
"""

from samtrygg.core.errors import DomainError, NotFound, PermissionDenied
from samtrygg.observations.services.imports import (
    ImportRefused,
    ImportResult,
    ImportRow,
    import_rows,
    queue_import,
    row_error,
)
from samtrygg.observations.services.reports import (
    SubmitResult,
    log_export,
    log_view,
    merge_observation,
    relocate_observations,
    set_reviewed,
    submit_report,
    undo_merge,
    update_observation,
)
from samtrygg.observations.services.validation import (
    EARLIEST_DATE,
    MAX_DESCRIPTION,
    MAX_INCIDENTS,
    MAX_PEOPLE,
    CleanIncident,
    IncidentInput,
    InvalidIncident,
    InvalidReport,
    Lookup,
    _fold,
    clean_incident,
    quote,
)
from samtrygg.observations.services.vocabulary import (
    DEFAULTS_VERSION,
    create_category,
    delete_category,
    ensure_defaults,
    note_police_types,
    rename_category,
    retire_category,
    set_police_type_categories,
    set_police_type_category,
    time_bands_of,
    update_time_bands,
)

__all__ = [
    "DEFAULTS_VERSION",
    "EARLIEST_DATE",
    "MAX_DESCRIPTION",
    "MAX_INCIDENTS",
    "MAX_PEOPLE",
    "CleanIncident",
    "DomainError",
    "ImportRefused",
    "ImportResult",
    "ImportRow",
    "IncidentInput",
    "InvalidIncident",
    "InvalidReport",
    "Lookup",
    "NotFound",
    "PermissionDenied",
    "SubmitResult",
    "_fold",
    "clean_incident",
    "create_category",
    "delete_category",
    "ensure_defaults",
    "import_rows",
    "log_export",
    "log_view",
    "merge_observation",
    "note_police_types",
    "queue_import",
    "quote",
    "relocate_observations",
    "rename_category",
    "retire_category",
    "row_error",
    "set_police_type_categories",
    "set_police_type_category",
    "set_reviewed",
    "submit_report",
    "time_bands_of",
    "undo_merge",
    "update_observation",
    "update_time_bands",
]
