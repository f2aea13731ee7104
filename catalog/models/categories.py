from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class Category(index.Indexed, models.Model):
    """A subject courses are filed under; managed by admins as a Wagtail snippet."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    icon = models.CharField(
        _("icon"),
        max_length=50,
        blank=True,
        help_text=_("A Material Symbols name, e.g. 'code' or 'palette'."),
    )
    description = models.TextField(_("description"), blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name
