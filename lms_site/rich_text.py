"""Rich text people type on the site, made safe to show to others: a small set of tags, no attributes but
a link's address, no script, style or event handler. Built on Wagtail's own whitelister."""

import re

from django.utils.html import linebreaks
from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url

HTML_TAG = re.compile(r"<[a-zA-Z/!]")


class TextWhitelister(Whitelister):
    element_rules = {
        "[document]": allow_without_attributes,
        **dict.fromkeys(
            ["p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4"],
            allow_without_attributes,
        ),
        "a": attribute_rule({"href": check_url}),  # no javascript: and the like
    }

    def clean_tag_node(self, doc, tag):
        if tag.name in ("script", "style"):
            tag.decompose()  # their content is code, not text the person meant to show
            return
        super().clean_tag_node(doc, tag)


def sanitise_html(text: str) -> str:
    """Typed plain text becomes paragraphs; HTML keeps only the allowed tags. Empty stays empty."""
    text = (text or "").strip()
    if not text:
        return ""
    if not HTML_TAG.search(text):
        text = linebreaks(text, autoescape=True)
    return TextWhitelister().clean(text).strip()
