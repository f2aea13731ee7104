"""The CMS editor's page forms: "Submit for moderation" is refused, with reasons, before anything is saved,
and a page names only files its author may use."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.blocks import StreamValue

from .blocks import LESSON_BLOCKS

SUBMIT = "action-submit"  # the name of the editor's "Submit for moderation" button


class OwnFilesForm(WagtailAdminPageForm):
    """Choosers offer an instructor only their own documents and images; an id posted by hand is refused."""

    def clean(self):
        from .permissions import OTHERS_FILES_MESSAGE, fields_with_others_files

        cleaned = super().clean()
        # Until the form is saved, the instance is the version being edited.
        if fields_with_others_files(self.for_user, self.instance, changes=cleaned, before=self.instance):
            self.add_error(None, OTHERS_FILES_MESSAGE)
        return cleaned


class CourseForm(OwnFilesForm):
    """Refuses submission of an incomplete course, naming what is missing."""

    def clean(self):
        from .services import submission_problems

        cleaned = super().clean()
        if SUBMIT in self.data and not self.errors:
            candidate = self.instance
            for name in ("title", "description", "category"):
                setattr(candidate, name, cleaned.get(name))
            for name, messages in submission_problems(candidate).items():
                self.add_error(name if name in self.fields else None, messages)
        return cleaned


class CourseContentForm(OwnFilesForm):
    def clean(self):
        cleaned = super().clean()
        if SUBMIT in self.data:
            self.add_error(None, _("Sections and lessons are reviewed with their course: submit the course."))
        return cleaned


class LessonBodyPanel(FieldPanel):
    """The body of a new lesson starts with the block its type needs: "add a quiz lesson" opens the form
    with the type chosen and an empty quiz to fill in, so type and block are chosen in one step."""

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            lesson_type = self.request.GET.get("lesson_type") if self.request else None
            if self.instance.pk is None and not self.form.is_bound and lesson_type in LESSON_BLOCKS:
                stream_block = self.form.fields[self.field_name].block
                required = LESSON_BLOCKS[lesson_type][1]
                self.form.initial["lesson_type"] = lesson_type
                self.form.initial[self.field_name] = StreamValue(
                    stream_block, [(required, stream_block.child_blocks[required].get_default())]
                )
