"""The one pagination every list endpoint uses: ``?page=2&page_size=200`` → ``{items, count}``."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000


class Pagination(PageNumberPagination):
    class Input(Schema):
        # Bounded so that the row offset stays inside a database integer.
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
        # A page larger than the maximum is refused (422), not silently cut short: a client
        # that asked for 1,000 rows and got 500 would believe it had them all.
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="每页条数，最多 500"
        )

    def __init__(self, **kwargs) -> None:
        super().__init__(page_size=DEFAULT_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)
