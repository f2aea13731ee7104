"""Lesson bodies. A lesson's type decides which of these blocks its body may hold (LESSON_BLOCKS)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("Video URL"), help_text=_("A file or a page of a video host."))
    caption = blocks.CharBlock(required=False, max_length=255)
    transcript = blocks.TextBlock(required=False)

    class Meta:
        icon = "media"
        template = "catalog/blocks/video.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=500)
    correct = blocks.BooleanBlock(required=False, default=False)

    class Meta:
        label_format = "{text}"  # the builder names each choice by its text, not "Choice 3"


class QuestionBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    multiple = blocks.BooleanBlock(
        required=False, default=False, help_text=_("More than one choice is correct; all must be picked.")
    )
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2)
    explanation = blocks.TextBlock(required=False, help_text=_("Shown after the attempt."))

    class Meta:
        label_format = "{text}"

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct == 0 or (correct > 1 and not value["multiple"]):
            message = _("Mark exactly one correct choice, or allow several and mark at least one.")
            raise StructBlockValidationError(block_errors={"choices": ValidationError(message)})
        return value


class QuizBlock(blocks.StructBlock):
    pass_mark = blocks.IntegerBlock(
        min_value=0, max_value=100, default=70, help_text=_("Percentage of questions to answer correctly.")
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    class Meta:
        icon = "help"
        template = "catalog/blocks/quiz.html"
        label_format = _("pass mark {pass_mark}%")


# An assignment's settings. Every one has a default, so assignments written before they existed keep
# working: pass or fail, no due date, up to 10 MB of the common document and image types.
GRADING_CHOICES = [("pass_fail", _("Pass or fail")), ("points", _("Points"))]
DEFAULT_FILE_TYPES = "pdf, txt, md, zip, png, jpg, jpeg, docx, odt"
MAX_FILE_SIZE_MB = 50  # the most an instructor may allow per file
FILE_TYPE = re.compile(r"^[a-z0-9]{1,10}$")


def file_types(text: str) -> list[str]:
    """The extensions of "pdf, .PNG zip" as ["pdf", "png", "zip"]: lower case, without dots, once each."""
    extensions = (part.strip().lstrip(".").lower() for part in re.split(r"[,\s]+", text or ""))
    return list(dict.fromkeys(extension for extension in extensions if extension))


class AssignmentBlock(blocks.StructBlock):
    brief = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"])
    submission = blocks.TextBlock(required=False, help_text=_("What to hand in, and how."))
    estimated_hours = blocks.DecimalBlock(required=False, min_value=0, max_digits=5, decimal_places=1)
    grading = blocks.ChoiceBlock(
        choices=GRADING_CHOICES, default="pass_fail", help_text=_("How the work is graded.")
    )
    max_points = blocks.IntegerBlock(
        min_value=1,
        max_value=1000,
        default=100,
        help_text=_("Points grading: the most a piece of work earns."),
    )
    pass_points = blocks.IntegerBlock(
        min_value=0, max_value=1000, default=50, help_text=_("Points grading: the least that passes.")
    )
    due_at = blocks.DateTimeBlock(required=False, help_text=_("Leave empty for no due date."))
    accept_late = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text=_("Take work handed in after the due date, flagged as late. Unticked, it is refused."),
    )
    max_attempts = blocks.IntegerBlock(
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("How many times a student may hand in. Leave empty for no limit."),
    )
    file_types = blocks.CharBlock(
        required=False,
        max_length=255,
        default=DEFAULT_FILE_TYPES,
        help_text=_("File extensions students may hand in, separated by commas. Leave empty for no files."),
    )
    max_file_size_mb = blocks.IntegerBlock(
        min_value=1, max_value=MAX_FILE_SIZE_MB, default=10, help_text=_("The largest file, in MB.")
    )

    class Meta:
        icon = "doc-full"
        template = "catalog/blocks/assignment.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["grading"] == "points" and value["pass_points"] > value["max_points"]:
            errors["pass_points"] = ValidationError(_("Passing cannot take more points than the maximum."))
        if bad := [
            extension for extension in file_types(value["file_types"]) if not FILE_TYPE.match(extension)
        ]:
            errors["file_types"] = ValidationError(
                _("Not a file extension: %(extensions)s.") % {"extensions": ", ".join(bad)}
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class ResourceBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "download"
        template = "catalog/blocks/resource.html"


RICH_TEXT = blocks.RichTextBlock(
    features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "code", "blockquote", "image", "embed"],
    icon="pilcrow",
)

BODY_BLOCKS = [
    ("video", VideoBlock()),
    ("text", RICH_TEXT),
    ("quiz", QuizBlock()),
    ("assignment", AssignmentBlock()),
    ("resource", ResourceBlock()),
]

# Blocks each lesson type may hold, and the one it must hold (a quiz exactly once).
LESSON_BLOCKS = {
    "video": ({"video", "text", "resource"}, "video"),
    "text": ({"text", "resource"}, "text"),
    "quiz": ({"quiz", "text"}, "quiz"),
    "assignment": ({"assignment", "text", "resource"}, "assignment"),
    "resource": ({"resource", "text"}, "resource"),
}


def body_errors(lesson_type: str, block_types: list[str]) -> list[str]:
    """What is wrong with a body of these block types for a lesson of this type."""
    allowed, required = LESSON_BLOCKS[lesson_type]
    errors = []
    if stray := sorted(set(block_types) - allowed):
        errors.append(
            _("A %(type)s lesson cannot hold %(blocks)s.") % {"type": lesson_type, "blocks": ", ".join(stray)}
        )
    count = block_types.count(required)
    if count == 0:
        errors.append(
            _("A %(type)s lesson needs a %(block)s block.") % {"type": lesson_type, "block": required}
        )
    elif required == "quiz" and count > 1:
        errors.append(_("A quiz lesson holds one quiz."))
    return errors
