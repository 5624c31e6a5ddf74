"""Page numbers for every API list: ninja's, with bounds on what a caller may ask for.

A page or page size out of range is refused with 422 like any other invalid parameter,
instead of reaching the database as an offset it cannot hold.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# Far beyond any list here, and small enough that page × size fits every database's integer.
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 10_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
