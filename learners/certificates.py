"""The certificate as a one-page PDF: who, what, by whom, when, and a QR code of where to verify it.

fpdf2 and segno are pure Python; the DejaVu fonts in fonts/ carry names in any Latin, Greek or
Cyrillic script, so nothing is needed from the system.
"""

import io
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF

from lms_site.links import absolute_url

FONTS = Path(__file__).parent / "fonts"
INK, MUTED, ACCENT = (17, 24, 39), (75, 85, 99), (29, 78, 216)


def verification_url(certificate) -> str:
    return absolute_url(reverse("learners:certificate_verify", args=[certificate.code]))


def render_pdf(certificate) -> bytes:
    course = certificate.enrollment.course
    url = verification_url(certificate)

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_("Certificate of completion"))
    pdf.set_author(settings.WAGTAIL_SITE_NAME)
    pdf.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(text, *, size, style="", colour=INK, gap=4):
        pdf.set_font("DejaVu", style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(32)
    line(settings.WAGTAIL_SITE_NAME.upper(), size=12, style="B", colour=ACCENT, gap=8)
    line(_("Certificate of completion"), size=30, style="B", gap=10)
    line(_("This certifies that"), size=13, colour=MUTED)
    line(certificate.public_holder_name, size=26, style="B", gap=6)
    line(_("has completed the course"), size=13, colour=MUTED)
    line(course.title, size=20, style="B", gap=6)
    instructor = course.owner.public_name if course.owner_id else ""
    line(
        _("taught by %(instructor)s, completed on %(date)s")
        % {"instructor": instructor, "date": formats.date_format(certificate.issued_at, "DATE_FORMAT")},
        size=12,
        colour=MUTED,
    )

    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    pdf.image(qr, x=pdf.w - 62, y=pdf.h - 66, w=40, h=40)
    pdf.set_xy(20, pdf.h - 40)
    pdf.set_font("DejaVu", "", 10)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        pdf.w - 100,
        5,
        _("Verification code %(code)s\n%(url)s") % {"code": certificate.code, "url": url},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
