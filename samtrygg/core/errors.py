"""Domain errors: the one way a service says no, always with a message a user can read."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal by a service. ``message`` is shown to the user (Swedish, translatable).

    ``field`` names the form field or column the message belongs to, when there is one;
    ``row`` the row number of a user's file, when the refusal comes from an import.
    """

    def __init__(self, message: str, *, field: str | None = None, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.row = row

    def __str__(self) -> str:
        return self.message

    def refusals(self) -> list[DomainError]:
        """Each refusal this one stands for, with its own field: itself, unless it gathers
        the refusals of several fields (a form or a record checked field by field)."""
        return [self]


class FieldRefusals(DomainError):
    """Several fields refused at once (a page form checked field by field): ``errors`` holds
    each with its field; the message and field are the first's."""

    def __init__(self, errors: list[DomainError], *, row: int | None = None) -> None:
        self.errors = list(errors)
        super().__init__(self.errors[0].message, field=self.errors[0].field, row=row)

    def refusals(self) -> list[DomainError]:
        return list(self.errors)


class PermissionDenied(DomainError):
    """The acting user may not do this in this partnership."""


class NotFound(DomainError):
    """No such record within the caller's reach (also what another tenant's id looks like)."""
