from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .citations import stored_article
from .selectors import source_text


def source_detail(request: HttpRequest, name: str) -> HttpResponse:
    article = stored_article(name)
    text = source_text(name=name) if article else None
    if text is None:
        raise Http404
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return render(
        request,
        "reference/source_detail.html",
        {"article": article, "paragraphs": paragraphs},
    )
