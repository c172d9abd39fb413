from django.utils.translation import gettext_lazy as _
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
        self.page_size = api_settings.PAGE_SIZE
        return super().get_page_size(request)
