from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from progress.selectors import progress_for_document, progress_overview
from reports.selectors import reporting_overview

from .models import Document
from .selectors import document_detail as select_document
from .selectors import document_export_filters, document_targets, programme_summary

TARGETS_PER_PAGE = 50


def home(request: HttpRequest) -> HttpResponse:
    page = request.GET.get("page", "1")
    return render(
        request,
        "programmes/home.html",
        {
            "summary": programme_summary(),
            # The status tiles count every national target; the table shows a page of them.
            "overview": progress_overview(national_page_number=int(page) if page.isdigit() else 1),
            "reporting": reporting_overview(user=request.user),
        },
    )


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        document = select_document(pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None
    # A programme at national scale sets hundreds of targets: a page of them at a time keeps
    # the page small and its progress read bounded.
    targets = Paginator(document_targets(document=document), TARGETS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "programmes/document_detail.html",
        {
            "document": document,
            "targets": targets,
            "progress": progress_for_document(targets=list(targets)),
            "export_query": urlencode(document_export_filters(document=document)),
        },
    )
