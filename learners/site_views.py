"""The learner's pages outside the page tree."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from .models import Certificate


def _certificate(code: str) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("enrollment__student", "enrollment__course__owner"),
        code=code.upper(),
    )


def certificate_verify(request, code):
    """Public: anyone holding the code (printed on the certificate, in its QR code) can check it."""
    certificate = _certificate(code)
    return render(request, "learners/certificate_verify.html", {"certificate": certificate})


def certificate_pdf(request, code):
    certificate = _certificate(code)
    if not certificate.pdf:
        raise Http404  # still being rendered by the worker
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"certificate-{certificate.code}.pdf",
        content_type="application/pdf",
    )
