from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site root: a welcome and the way into the catalog."""

    intro = models.CharField(_("intro"), max_length=255, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from catalog.site_views import home_context  # catalog loads after home

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(request))
        return context
