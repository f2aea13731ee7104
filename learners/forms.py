"""Forms of the learner's pages and of grading; what they collect is written by learners.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.assignments import MAX_FEEDBACK_LENGTH, MAX_FILES, MAX_LINK_LENGTH, MAX_TEXT_LENGTH

RATING_CHOICES = [
    (1, _("1 star: poor")),
    (2, _("2 stars: fair")),
    (3, _("3 stars: good")),
    (4, _("4 stars: very good")),
    (5, _("5 stars: excellent")),
]
MAX_COMMENT_LENGTH = 5000  # as the reviews API accepts


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Your review"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        help_text=_("What did you like, and what could be better?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def for_review(cls, review, data=None):
        """The form for a new review, or filled with the student's own one."""
        initial = {"rating": review.rating, "comment": review.comment} if review else None
        return cls(data, initial=initial, auto_id="review-%s")


def answers_from_form(quiz, data) -> dict:
    """The quiz form's fields (named by question id, valued by choice ids) as the service takes them.

    Fields the quiz does not have are left out; unknown choices go to the service, which refuses them.
    """
    answers = {}
    for question in quiz["questions"].bound_blocks:
        picked = data.getlist(question.id)
        if picked:
            answers[question.id] = picked if question.value["multiple"] else picked[0]
    return answers


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; the service checks their types and sizes against the assignment."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class SubmissionForm(forms.Form):
    """Handing in work on an assignment lesson: text, a link and/or files, as the assignment allows."""

    text = forms.CharField(
        label=_("Your work"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text, or basic HTML: paragraphs, bold, italics, lists and links."),
    )
    link = forms.URLField(
        label=_("A link to your work"),
        required=False,
        max_length=MAX_LINK_LENGTH,
        assume_scheme="https",
        help_text=_("A web address, such as a repository or a shared document."),
    )
    files = MultipleFileField(label=_("Files"), required=False)

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, auto_id="hand-in-%s", **kwargs)
        if not rules.file_types:
            del self.fields["files"]
            return
        self.fields["files"].widget.attrs["accept"] = rules.accept
        self.fields["files"].help_text = _("Up to %(count)d files of %(types)s, each up to %(size)d MB.") % {
            "count": MAX_FILES,
            "types": ", ".join(rules.file_types),
            "size": rules.max_file_size_mb,
        }


class GradeFields(forms.Form):
    """A grade for one attempt, as its assignment grades: pass or fail, or points; feedback for the student.

    `for_rules` keeps the field that applies; the service checks the values against the assignment."""

    passed = forms.TypedChoiceField(
        label=_("Grade"),
        choices=[("true", _("Passed")), ("false", _("Not passed"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    points = forms.DecimalField(label=_("Points"), min_value=0, max_digits=6, decimal_places=2)
    feedback = forms.CharField(
        label=_("Feedback for the student"),
        required=False,
        max_length=MAX_FEEDBACK_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Emailed to the student with the grade, and shown on the lesson."),
    )

    def for_rules(self, rules) -> None:
        if rules is not None and rules.by_points:
            del self.fields["passed"]
            self.fields["points"].help_text = _("Out of %(max)d; %(pass)d or more pass.") % {
                "max": rules.max_points,
                "pass": rules.pass_points,
            }
        else:
            del self.fields["points"]

    def grade(self) -> dict:
        """The service's keyword arguments."""
        return {
            "passed": self.cleaned_data.get("passed"),
            "points": self.cleaned_data.get("points"),
            "feedback": self.cleaned_data["feedback"],
        }


class GradeForm(GradeFields):
    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_rules(rules)
