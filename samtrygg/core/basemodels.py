"""The fields that many apps' records declare alike, each defined once.

A record's link to its partnership, to the user who did something to it, to an optional
other record and to the version it replaces, and the flag on demo records, follow the same
rules in every app: these functions return those fields, so the rule stands in one place.
Each keeps the keyword arguments a model gave before, so no migration follows from using them.

The abstract models below hold groups of fields (and their order, constraint and name) that
records of several apps share as one concept: a name unique within the partnership, a chain of
versions, a meeting held on a day, a document computed from the data and then adopted. A model
mixes one in beside its tenant base, and its ``Meta`` extends the mixin's where that has one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, overload

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from samtrygg.core.models import Partnership, User

M = TypeVar("M", bound=models.Model)


def tenant_link(related_name: str) -> models.ForeignKey[Partnership, Partnership]:
    """The partnership a record belongs to; its records go with it."""
    return models.ForeignKey(
        "core.Partnership", on_delete=models.CASCADE, related_name=related_name
    )


def one_per_tenant(related_name: str) -> models.OneToOneField[Partnership, Partnership]:
    """The partnership of a record it has at most one of (its settings, its
    samordningsfunktion); the record goes with it."""
    return models.OneToOneField(
        "core.Partnership", on_delete=models.CASCADE, related_name=related_name
    )


def acting_user(
    verbose_name: StrOrPromise | None = None, *, blank: bool = True, related_name: str = "+"
) -> models.ForeignKey[User | None, User | None]:
    """The user who did something to the record (made, adopted, reviewed it). The record
    outlives the user's account: the link is then cleared, and the audit trail keeps the name."""
    extra: dict[str, Any] = {} if verbose_name is None else {"verbose_name": verbose_name}
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name=related_name,
        **extra,
    )


@overload
def optional_link(
    to: type[M],
    *,
    related_name: str,
    verbose_name: StrOrPromise | None = None,
    protect: bool = False,
) -> models.ForeignKey[M | None, M | None]: ...


@overload
def optional_link(
    to: str, *, related_name: str, verbose_name: StrOrPromise | None = None, protect: bool = False
) -> models.ForeignKey[Any, Any]: ...


def optional_link(
    to: Any, *, related_name: str, verbose_name: StrOrPromise | None = None, protect: bool = False
) -> models.ForeignKey[Any, Any]:
    """A link to another record that may be empty, and is emptied when that record is
    deleted (a delområde, a place, an organisation, a decision). With ``protect`` the other
    record cannot be deleted while it is linked (the problem a promise builds on, the
    decision that adopted a lägesbild)."""
    extra: dict[str, Any] = {} if verbose_name is None else {"verbose_name": verbose_name}
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT if protect else models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        **extra,
    )


def previous_version(verbose_name: StrOrPromise) -> models.OneToOneField[Any, Any]:
    """The version a new version of a document replaces (``superseded_by`` the other way).
    A replaced version is never deleted while its successor exists."""
    return models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=verbose_name,
    )


def demo_flag() -> models.BooleanField[bool, bool]:
    """Whether the record is demo data: made by an app's demo loader, and marked so in exports."""
    return models.BooleanField(_("demodata"), default=False)


def dates_in_order(start: str, end: str, *, name: str) -> models.CheckConstraint:
    """The end of a record's period is not before its start."""
    return models.CheckConstraint(condition=models.Q(**{f"{end}__gte": models.F(start)}), name=name)


class NamedInPartnership(models.Model):
    """A partnership's record that people know by its name (an organisation, a delområde, a
    place, a decision body, a survey): the name is unique within the partnership, lists go by
    it and it stands for the record. Mixed into a tenant model, whose ``Meta`` extends this
    one (the constraint's name follows the model: ``area_unique_name``)."""

    name = models.CharField(_("namn"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="%(class)s_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Versioned(models.Model):
    """A document that nothing changes once it is closed (signed, adopted): a change is a new
    version, numbered on from 1, that replaces the closed one and says why."""

    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = previous_version(_("ersätter"))
    change_reason = models.TextField(_("skäl till den nya versionen"), blank=True)

    class Meta:
        abstract = True


class Gathering(models.Model):
    """People met on a day (an EST meeting, a dialogue with residents or staff): its heading,
    the date and who recorded it. Lists show the latest first; the heading and the date
    stand for it."""

    title = models.CharField(_("rubrik"), max_length=200)
    held_on = models.DateField(_("datum"))
    created_by = acting_user()

    class Meta:
        abstract = True
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} {self.held_on:%Y-%m-%d}"


class ComputedAndAdopted(models.Model):
    """A document drafted from the stored data and then adopted (the joint lägesbild, the
    statutory lägesbild): who drafted it and when, when its figures were last computed, and
    who adopted it and when."""

    created_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(_("beräknad"), null=True, blank=True)
    adopted_by = acting_user()
    adopted_at = models.DateTimeField(_("antagen"), null=True, blank=True)

    class Meta:
        abstract = True
