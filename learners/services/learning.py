"""Writes about learning: enrolment, progress, quizzes, completion and certificates, reviews.

Each function is one transaction. Rows that many requests touch at once (a course's counters, a
student's enrolment) are locked or changed with F() expressions, so double submissions and races
leave the numbers right; the unique constraints have the last word.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Case, DecimalField, F, FloatField, Value, When
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from catalog import page_cache
from catalog.models import CoursePage, CourseStats, LessonPage, LessonType
from lms_site.emails import send_templated_email
from lms_site.errors import (
    AlreadyEnrolled,
    AlreadyReviewed,
    Conflict,
    GradeRequired,
    LessonLocked,
    NotAllowed,
    NotFound,
    PaymentRequired,
    ReviewNeedsProgress,
    ValidationFailed,
)
from lms_site.jobs import enqueue
from lms_site.links import absolute_url
from lms_site.models import Role, User

from .. import selectors
from ..certificates import render_pdf
from ..models import Certificate, Enrollment, LessonProgress, QuizAttempt, Review

HUNDRED = Decimal(100)


def _is_admin(user: User) -> bool:
    return user.is_active and user.role == Role.ADMIN


# Enrolment


@transaction.atomic
def enrollment_create(
    *, student: User, course: CoursePage, granted_by: User | None = None, source=None
) -> Enrollment:
    """Enrol in a published course. Paid courses, full courses and closed windows are refused,
    unless an admin grants the enrolment."""
    if not student.is_active:
        raise NotAllowed(_("This account is inactive."))
    if granted_by is not None and not _is_admin(granted_by):
        raise NotAllowed(_("Only admins can grant enrolments."))
    if not CoursePage.objects.in_catalog().filter(pk=course.pk).exists():
        raise NotFound(_("There is no published course here."))
    if course.owner_id == student.pk:
        raise Conflict(_("You teach this course."))
    stats = CourseStats.objects.select_for_update().get(
        course_id=course.pk
    )  # the cap is checked under this lock
    if Enrollment.objects.filter(student=student, course=course).exists():
        raise AlreadyEnrolled()
    if granted_by is None:
        _check_open(course, stats)
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                student=student,
                course=course,
                granted_by=granted_by,
                source=source or (Enrollment.Source.ADMIN if granted_by else Enrollment.Source.SELF),
            )
    except IntegrityError as exc:
        raise AlreadyEnrolled() from exc
    CourseStats.objects.filter(pk=course.pk).update(enrollment_count=F("enrollment_count") + 1)
    page_cache.invalidate_course(course.pk, listed=False)  # places taken
    return enrollment


def _check_open(course: CoursePage, stats: CourseStats) -> None:
    now = timezone.now()
    if course.enrollment_opens_at and now < course.enrollment_opens_at:
        raise Conflict(
            _("Enrolment opens on %(date)s.")
            % {"date": formats.date_format(course.enrollment_opens_at, "DATE_FORMAT")}
        )
    if course.enrollment_closes_at and now >= course.enrollment_closes_at:
        raise Conflict(
            _("Enrolment closed on %(date)s.")
            % {"date": formats.date_format(course.enrollment_closes_at, "DATE_FORMAT")}
        )
    if course.enrollment_cap is not None and stats.enrollment_count >= course.enrollment_cap:
        raise Conflict(_("This course is full."))
    if course.price > 0:
        raise PaymentRequired()


@transaction.atomic
def enrollment_delete(*, enrollment: Enrollment, user: User) -> None:
    """Unenrol. Progress goes with it; an enrolment that earned a certificate stays."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.student_id != user.pk and not _is_admin(user):
        raise NotAllowed(_("You can only leave your own courses."))
    if Certificate.objects.filter(enrollment=enrollment).exists():
        raise Conflict(_("This enrolment earned a certificate and is kept."))
    enrollment.delete()
    CourseStats.objects.filter(pk=enrollment.course_id).update(
        enrollment_count=F("enrollment_count") - 1,
        completion_count=F("completion_count") - (1 if enrollment.completed_at else 0),
    )
    page_cache.invalidate_course(enrollment.course_id, listed=False)


# Studying


def _enrollment_for_lesson(student: User, lesson: LessonPage) -> tuple[Enrollment, CoursePage]:
    """The student's enrolment in the lesson's course, locked; 404 for lessons students cannot reach."""
    if not lesson.live:
        raise NotFound(_("There is no lesson here."))
    course = lesson.course
    if not course.is_in_catalog:
        raise NotFound(_("There is no lesson here."))
    enrollment = Enrollment.objects.select_for_update().filter(student=student, course=course).first()
    if enrollment is None:
        raise NotAllowed(_("Enrol in the course first."))
    return enrollment, course


def _check_unlocked(enrollment: Enrollment, course: CoursePage, lesson: LessonPage) -> list[LessonPage]:
    lessons = list(selectors.live_lessons(course))
    completed = selectors.completed_lesson_ids(enrollment)
    if lesson.pk in selectors.locked_lesson_ids(course, lessons, completed):
        index = next(i for i, each in enumerate(lessons) if each.pk == lesson.pk)
        raise LessonLocked(complete_first=lessons[index - 1])
    return lessons


@transaction.atomic
def progress_record(
    *, student: User, lesson: LessonPage, position_seconds: int | None = None
) -> LessonProgress:
    """Remember when the student was last in a lesson and, if given, where (a video's position).

    Opening a lesson page records the visit without a position, so "continue" finds it.
    """
    if position_seconds is not None and position_seconds < 0:
        raise ValidationFailed(details={"position_seconds": [_("Must be zero or more.")]})
    enrollment, course = _enrollment_for_lesson(student, lesson)
    _check_unlocked(enrollment, course, lesson)
    now = timezone.now()
    progress, _created = LessonProgress.objects.get_or_create(enrollment=enrollment, lesson=lesson)
    progress.last_accessed_at = now
    if position_seconds is not None:
        progress.position_seconds = position_seconds
    progress.save(update_fields=["position_seconds", "last_accessed_at"])
    Enrollment.objects.filter(pk=enrollment.pk).update(last_accessed_at=now)
    return progress


@transaction.atomic
def lesson_complete(*, student: User, lesson: LessonPage) -> Enrollment:
    """Mark a lesson done; at 100% the course is complete and the certificate issued, once.

    Assignments are not marked done: a passing grade completes them (learners.services.assignments).
    """
    if lesson.lesson_type == LessonType.ASSIGNMENT:
        raise GradeRequired()
    enrollment, course = _enrollment_for_lesson(student, lesson)
    passed = QuizAttempt.objects.filter(enrollment=enrollment, lesson=lesson, passed=True)
    if lesson.lesson_type == LessonType.QUIZ and not passed.exists():
        raise Conflict(_("Pass the quiz to complete this lesson."))
    return _complete(enrollment, course, lesson)


def _complete(
    enrollment: Enrollment, course: CoursePage, lesson: LessonPage, *, check_lock: bool = True
) -> Enrollment:
    """`check_lock=False` for a grade: the work was handed in while the lesson was open."""
    lessons = (
        _check_unlocked(enrollment, course, lesson) if check_lock else list(selectors.live_lessons(course))
    )
    now = timezone.now()
    progress, _created = LessonProgress.objects.get_or_create(enrollment=enrollment, lesson=lesson)
    if progress.status != LessonProgress.Status.COMPLETED:
        progress.status, progress.completed_at = LessonProgress.Status.COMPLETED, now
    progress.last_accessed_at = now
    progress.save()
    return _recompute(enrollment, course, lessons, now)


def _recompute(enrollment: Enrollment, course: CoursePage, lessons: list[LessonPage], now) -> Enrollment:
    """Progress = completed live lessons / live lessons; reaching 100% completes the course once."""
    live_ids = {lesson.pk for lesson in lessons}
    done = len(selectors.completed_lesson_ids(enrollment) & live_ids)
    percentage = (
        (HUNDRED * done / len(live_ids)).quantize(Decimal("0.01"), ROUND_HALF_UP) if live_ids else HUNDRED
    )
    enrollment.progress_percentage, enrollment.last_accessed_at = percentage, now
    fields = ["progress_percentage", "last_accessed_at"]
    if percentage == HUNDRED and enrollment.completed_at is None:
        enrollment.completed_at = now
        fields.append("completed_at")
        enrollment.save(update_fields=fields)
        CourseStats.objects.filter(pk=course.pk).update(completion_count=F("completion_count") + 1)
        certificate_issue(enrollment=enrollment)
    else:
        enrollment.save(update_fields=fields)
    return enrollment


@transaction.atomic
def quiz_attempt_submit(*, student: User, lesson: LessonPage, answers: dict) -> tuple[QuizAttempt, dict]:
    """Grade on the server; a pass completes the lesson. Returns the attempt and per-question results."""
    quiz = lesson.quiz
    if quiz is None:
        raise NotFound(_("This lesson has no quiz."))
    enrollment, course = _enrollment_for_lesson(student, lesson)
    _check_unlocked(enrollment, course, lesson)
    results = grade(quiz, answers)
    correct = sum(results.values())
    score = (HUNDRED * correct / len(results)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    attempt = QuizAttempt.objects.create(
        enrollment=enrollment, lesson=lesson, answers=answers, score=score, passed=score >= quiz["pass_mark"]
    )
    if attempt.passed:
        _complete(enrollment, course, lesson)
    return attempt, results


def grade(quiz, answers) -> dict[str, bool]:
    """Question id -> answered correctly. Unknown questions or choices are a 400, not a wrong answer."""
    if not isinstance(answers, dict):
        raise ValidationFailed(details={"answers": [_("Send an object of question id -> choice id(s).")]})
    questions = {question.id: question.value for question in quiz["questions"].bound_blocks}
    errors = {}
    if unknown := sorted(set(answers) - set(questions)):
        errors["answers"] = [_("Unknown question: %(id)s.") % {"id": question_id} for question_id in unknown]
    results = {}
    for question_id, question in questions.items():
        choices = {choice.id: choice.value["correct"] for choice in question["choices"].bound_blocks}
        picked = answers.get(question_id, [])
        picked = {picked} if isinstance(picked, str) else picked
        if not isinstance(picked, (list, set)) or not all(isinstance(choice, str) for choice in picked):
            errors[question_id] = [_("Give a choice id or a list of choice ids.")]
            continue
        if unknown_choices := set(picked) - set(choices):
            errors[question_id] = [
                _("Unknown choice: %(id)s.") % {"id": choice} for choice in sorted(unknown_choices)
            ]
            continue
        results[question_id] = set(picked) == {choice_id for choice_id, right in choices.items() if right}
    if errors:
        raise ValidationFailed(_("Some answers do not match the quiz."), details=errors)
    return results


# Certificates


def certificate_issue(*, enrollment: Enrollment) -> Certificate:
    """Exactly one per completed enrolment (the one-to-one has the last word), in the student's name as
    it is now (blank if they have none yet); the PDF is made by a worker."""
    certificate, created = Certificate.objects.get_or_create(
        enrollment=enrollment, defaults={"holder_name": enrollment.student.full_name}
    )
    if created:
        _render_on_commit([certificate.pk])
    return certificate


@transaction.atomic
def certificate_holder_names_fill(*, user: User) -> list[Certificate]:
    """Put the name a learner just gave on their certificates issued without one, and draw those PDFs
    again. Certificates that carry a name keep it: they stay as issued. Called by
    lms_site.services.user_update_profile through lms_site.profile_hooks."""
    if not user.full_name:
        return []
    certificates = list(
        Certificate.objects.select_for_update().filter(enrollment__student=user, holder_name="")
    )
    for certificate in certificates:
        certificate.holder_name = user.full_name
    Certificate.objects.bulk_update(certificates, ["holder_name"])
    _render_on_commit([certificate.pk for certificate in certificates])
    return certificates


def _render_on_commit(certificate_ids) -> None:
    from ..tasks import render_certificate

    for certificate_id in certificate_ids:
        enqueue(render_certificate, str(certificate_id))


def course_unavailable_tell(*, course: CoursePage) -> int:
    """Email each student enrolled in a course that left the catalog (one message each: no one sees
    another's address); sent once the change commits. Returns how many are told."""
    students = User.objects.filter(enrollments__course=course, is_active=True).order_by("pk")
    dashboard_url = absolute_url(reverse("learners:dashboard"))
    count = 0
    for student in students:
        send_templated_email(
            template_prefix="learners/email/course_unavailable",
            to=[student.email],
            context={"student": student, "course": course, "dashboard_url": dashboard_url},
        )
        count += 1
    return count


# Reviews


def _rating(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationFailed(details={"rating": [_("Give a whole number from 1 to 5.")]})
    return value


def _move_rating(course_id, *, count_delta: int, total_delta: int) -> None:
    count = F("review_count") + count_delta
    total = F("rating_total") + total_delta
    CourseStats.objects.filter(pk=course_id).update(
        review_count=count,
        rating_total=total,
        average_rating=Case(
            When(review_count=-count_delta, then=Value(Decimal("0"))),
            default=Cast(Cast(total, FloatField()) / count, DecimalField(max_digits=3, decimal_places=2)),
        ),
    )


@transaction.atomic
def review_create(*, student: User, course: CoursePage, rating, comment: str = "") -> Review:
    """Enrolled students who have completed at least one lesson review a course once."""
    rating = _rating(rating)
    if not selectors.is_enrolled(student, course):
        raise NotAllowed(_("Only students enrolled in the course can review it."))
    if Review.objects.filter(student=student, course=course).exists():
        raise AlreadyReviewed()
    if not selectors.has_completed_a_lesson(student, course):
        raise ReviewNeedsProgress()
    try:
        with transaction.atomic():
            review = Review.objects.create(
                student=student, course=course, rating=rating, comment=comment.strip()
            )
    except IntegrityError as exc:
        raise AlreadyReviewed() from exc
    _move_rating(course.pk, count_delta=1, total_delta=rating)
    page_cache.invalidate_course(course.pk)
    return review


@transaction.atomic
def review_update(*, review: Review, user: User, rating=None, comment: str | None = None) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.student_id != user.pk and not _is_admin(user):
        raise NotAllowed(_("You can only edit your own review."))
    if rating is not None:
        rating = _rating(rating)
        if not review.is_hidden:
            _move_rating(review.course_id, count_delta=0, total_delta=rating - review.rating)
        review.rating = rating
    if comment is not None:
        review.comment = comment.strip()
    review.save()
    page_cache.invalidate_course(review.course_id)
    return review


@transaction.atomic
def review_delete(*, review: Review, user: User) -> None:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.student_id != user.pk and not _is_admin(user):
        raise NotAllowed(_("You can only delete your own review."))
    review.delete()
    if not review.is_hidden:
        _move_rating(review.course_id, count_delta=-1, total_delta=-review.rating)
    page_cache.invalidate_course(review.course_id)


@transaction.atomic
def review_set_hidden(*, review: Review, user: User, hidden: bool) -> Review:
    """Hide a review from the course page and its rating, or show it again; only admins moderate."""
    if not _is_admin(user):
        raise NotAllowed(_("Only admins can hide or show reviews."))
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.is_hidden == hidden:
        return review
    review.hidden_at = timezone.now() if hidden else None
    review.save(update_fields=["hidden_at"])
    sign = -1 if hidden else 1
    _move_rating(review.course_id, count_delta=sign, total_delta=sign * review.rating)
    page_cache.invalidate_course(review.course_id)
    return review


def certificate_render(*, certificate_id) -> Certificate:
    """Write the certificate's PDF; run again, it replaces the file (say, once a name is given)."""
    certificate = Certificate.objects.select_related("enrollment__course__owner").get(pk=certificate_id)
    content = render_pdf(certificate)
    old_name = certificate.pdf.name
    certificate.pdf.save(f"certificate-{certificate.code}.pdf", ContentFile(content), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    if old_name and old_name != certificate.pdf.name:
        certificate.pdf.storage.delete(old_name)
    return certificate
