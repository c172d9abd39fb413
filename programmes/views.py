from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from progress.selectors import progress_for_document, progress_overview

from .models import Document
from .selectors import document_detail as select_document
from .selectors import programme_summary


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programmes/home.html",
        {"summary": programme_summary(), "overview": progress_overview()},
    )


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        document = select_document(pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "programmes/document_detail.html",
        {"document": document, "progress": progress_for_document(document=document)},
    )
