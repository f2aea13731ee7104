"""lms_site.formats for templates."""

from django import template

from .. import formats

register = template.Library()
register.filter("percent", formats.percent)
