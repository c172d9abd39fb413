from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import source_text


def source_detail(request: HttpRequest, name: str) -> HttpResponse:
    text = source_text(name=name)
    if text is None:
        raise Http404
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return render(request, "reference/source_detail.html", {"name": name, "paragraphs": paragraphs})
