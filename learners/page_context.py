"""What the course and lesson pages show a learner: enrol or carry on, progress, locks, quiz results,
handed-in work and its grades, reviews; and the course's instructor how much work awaits a grade.

Registered with catalog.page_context, which merges it into CoursePage and LessonPage.get_context.
Opening an unlocked lesson records the visit (learners.services), so "continue" finds it.
"""

from django.urls import reverse
from django.utils import timezone

from catalog.models import CoursePage, LessonPage, LessonType
from lms_site.errors import ValidationFailed

from . import selectors, services
from .forms import ReviewForm, SubmissionForm


def learner_context(request, page) -> dict:
    if isinstance(page, CoursePage):
        return course_context(request, page)
    if isinstance(page, LessonPage):
        return lesson_context(request, page)
    return {}


def course_context(request, course: CoursePage) -> dict:
    user = request.user
    context = {"reviews": selectors.latest_reviews(course)}
    enrollment = selectors.enrollment_of(user, course)
    if enrollment is None:
        if user.is_authenticated and user.pk != course.owner_id and course.is_in_catalog and course.is_free:
            context["enrol_url"] = reverse("learners:enrol", args=[course.pk])
        return context
    study = selectors.study_of(enrollment)
    my_review = next((review for review in context["reviews"] if review.student_id == user.pk), None)
    if my_review is None:
        my_review = course.reviews.filter(student=user).first()
    may_review = my_review is not None or bool(study.completed)  # a review needs a completed lesson
    return {
        **context,
        "study": study,
        "completed_lessons": study.completed,
        "locked_lessons": study.locked,
        "leave_url": reverse("learners:leave", args=[course.pk]),
        "my_review": my_review,
        "review_form": ReviewForm.for_review(my_review) if may_review else None,
        "review_url": reverse("learners:review", args=[course.pk]),
        "review_delete_url": reverse("learners:review_delete", args=[course.pk]),
    }


def lesson_context(request, lesson: LessonPage) -> dict:
    if lesson.lesson_type == LessonType.ASSIGNMENT and selectors.can_grade(request.user, lesson.course):
        return _grading_context(request.user, lesson)
    enrollment = selectors.enrollment_of(request.user, lesson.course)
    if enrollment is None:
        return {}
    study = selectors.study_of(enrollment)
    context = {"study": study, "completed_lessons": study.completed}
    if lesson.pk in study.locked:
        return context  # the page withholds the body (catalog's lock rule); nothing to record or complete
    if lesson.live and lesson.course.is_in_catalog:  # not a draft in a CMS preview
        progress = services.progress_record(student=request.user, lesson=lesson)
        if lesson.lesson_type == LessonType.VIDEO:  # the player resumes there and reports (video-progress.js)
            context["video_progress"] = {
                "url": reverse("api:lesson-progress", args=[lesson.pk]),
                "position": progress.position_seconds,
            }
    if lesson.quiz is not None:
        attempt = selectors.last_quiz_attempt(enrollment, lesson)
        context |= {
            "quiz_submit_url": reverse("learners:quiz", args=[lesson.pk]),
            "last_attempt": attempt,
            **_results(lesson, attempt),
        }
    elif (rules := selectors.assignment_rules(lesson)) is not None:
        context |= _hand_in_context(enrollment, lesson, rules)
    elif lesson.pk not in study.completed:
        context["complete_url"] = reverse("learners:complete", args=[lesson.pk])
    return context


def _hand_in_context(enrollment, lesson: LessonPage, rules) -> dict:
    """The student's attempts, newest first, and the form for the next one unless they may not hand in."""
    attempts = selectors.attempts_of(enrollment, lesson)
    refusal = selectors.hand_in_refusal(attempts, rules, timezone.now())
    return {
        "attempts": attempts,
        "hand_in_refusal": refusal,
        "hand_in_form": None if refusal else SubmissionForm(rules=rules),
        "hand_in_url": reverse("learners:hand_in", args=[lesson.pk]),
    }


def _grading_context(user, lesson: LessonPage) -> dict:
    """For the course's instructor and admins: how much work on this lesson awaits a grade, and where."""
    return {
        "awaiting_grading": selectors.grading_queue(user).filter(lesson=lesson).count(),
        "grading_url": f"{reverse('learners_grading_queue')}?lesson={lesson.pk}",
    }


def _results(lesson: LessonPage, attempt) -> dict[str, set[str]]:
    """The questions answered right and wrong in the last attempt; ones edited since are in neither."""
    if attempt is None:
        return {}
    try:
        results = services.grade(lesson.quiz, attempt.answers)
    except ValidationFailed:
        return {}
    return {
        "right_questions": {question for question, right in results.items() if right},
        "wrong_questions": {question for question, right in results.items() if not right},
    }
