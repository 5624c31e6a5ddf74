"""Page numbers for every API list: ninja's, with bounds on what a caller may ask for.

A page or page size out of range is refused with 422 like any other invalid parameter,
instead of reaching the database as an offset it cannot hold. The count costs a query only
when the page does not tell it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# Far beyond any list here, and small enough that page × size fits every database's integer.
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 10_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        """The page, and the count of all items. A page that is not full ends the list, so
        the count is its offset plus its length and needs no COUNT query; only a full page
        or one past the end asks the database."""
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        items = list(queryset[offset : offset + page_size])
        if 0 < len(items) < page_size or (offset == 0 and not items):
            count = offset + len(items)
        else:
            count = self._items_count(queryset)
        return {self.items_attribute: items, "count": count}
