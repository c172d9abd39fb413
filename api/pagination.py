import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.settings import api_settings


class Pagination(PageNumberPagination):
    """Pages of ``API_PAGE_SIZE`` (read per request, so the setting is the one in force);
    a script may ask for up to 1000 with ``page_size``."""

    page_size_query_param = "page_size"
    # DRF's own catalogue has no Vietnamese for these: ours has, as for the API's messages.
    invalid_page_message = _("Invalid page.")
    page_query_description = _("A page number within the paginated result set.")
    page_size_query_description = _("Number of results to return per page.")
    max_page_size = 1000

    def get_page_size(self, request: Request) -> int | None:
        """The page size asked for, else the setting's. REST framework answers a size it
        cannot take (``0``, ``-1``, ``abc``) with the default and one above the largest
        with the largest: a script that reads one page would take that for all it asked
        for, so it is refused, naming the range."""
        self.page_size = api_settings.PAGE_SIZE
        asked = request.query_params.get(self.page_size_query_param, "")
        if not asked:
            return self.page_size
        if not re.fullmatch(r"[0-9]+", asked) or not 1 <= int(asked) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("page_size must be a whole number from 1 to %(max)s, not %(value)r.")
                        % {"max": self.max_page_size, "value": asked}
                    ]
                }
            )
        return int(asked)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
