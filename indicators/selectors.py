from .models import Indicator


def indicator_code_as_stored(code: str) -> str | None:
    """The code as stored of the indicator ``code`` names in any case ("scp-09" for
    SCP-09); None when there is none. Codes are unique in any case."""
    return Indicator.objects.filter(code__iexact=code).values_list("code", flat=True).first()
