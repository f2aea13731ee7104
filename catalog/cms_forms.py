"""The CMS editor's page forms: "Submit for moderation" is refused, with reasons, before anything is saved,
and a page names only files its author may use."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

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
