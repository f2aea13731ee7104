"""Forms of the learner's pages; what they collect is written by learners.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
