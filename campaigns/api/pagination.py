from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "页码无效。"

    def get_page_number(self, request, paginator):
        number = str(super().get_page_number(request, paginator))
        # Django's paginator takes "２" (a full-width digit) for 2; the contract's page numbers are ASCII.
        if number not in self.last_page_strings and not (number.isascii() and number.isdigit()):
            raise NotFound(self.invalid_page_message)
        return number
