"""Writes about learning, one module per subdomain, all reachable from here: `learners.services.<name>`.

learning: enrolment, progress, quizzes, completion and certificates, reviews.
assignments: handing in work and grading it.
"""

from .assignments import submission_create, submission_grade
from .learning import (
    certificate_holder_names_fill,
    certificate_issue,
    certificate_render,
    course_unavailable_tell,
    enrollment_create,
    enrollment_delete,
    grade,
    lesson_complete,
    progress_record,
    quiz_attempt_submit,
    review_create,
    review_delete,
    review_set_hidden,
    review_update,
)

__all__ = [
    "certificate_holder_names_fill",
    "certificate_issue",
    "certificate_render",
    "course_unavailable_tell",
    "enrollment_create",
    "enrollment_delete",
    "grade",
    "lesson_complete",
    "progress_record",
    "quiz_attempt_submit",
    "review_create",
    "review_delete",
    "review_set_hidden",
    "review_update",
    "submission_create",
    "submission_grade",
]
