"""A student's relation to a course: enrolment, progress per lesson, quiz attempts, handed-in work, review,
certificate."""

import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms_site.models import NO_NAME_LABEL


def new_certificate_code() -> str:
    """Unguessable and short enough to type from a printed certificate."""
    return secrets.token_hex(8).upper()


class Enrollment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Enrolled themselves")
        ADMIN = "admin", _("Granted by an admin")
        IMPORT = "import", _("Imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey("catalog.CoursePage", on_delete=models.PROTECT, related_name="enrollments")
    source = models.CharField(
        _("how it was granted"), max_length=10, choices=Source.choices, default=Source.SELF
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    progress_percentage = models.DecimalField(_("progress (%)"), max_digits=5, decimal_places=2, default=0)
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    last_accessed_at = models.DateTimeField(_("last accessed at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(fields=["student", "course"], name="one_enrollment_per_student_course"),
            models.CheckConstraint(
                condition=Q(progress_percentage__gte=0, progress_percentage__lte=100),
                name="enrollment_progress_range",
            ),
        ]
        indexes = [
            models.Index(fields=["course", "-enrolled_at"], name="enrollment_course_idx"),
            models.Index(fields=["student", "-last_accessed_at"], name="enrollment_student_recent_idx"),
            models.Index(fields=["completed_at"], name="enrollment_completed_idx"),
        ]

    def __str__(self):
        return f"{self.student} in {self.course_id}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("catalog.LessonPage", on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    position_seconds = models.PositiveIntegerField(_("position (seconds)"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_accessed_at = models.DateTimeField(_("last accessed at"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], name="one_progress_per_enrollment_lesson"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment_id} / {self.lesson_id}: {self.status}"


class QuizAttempt(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson = models.ForeignKey("catalog.LessonPage", on_delete=models.CASCADE, related_name="quiz_attempts")
    answers = models.JSONField(_("answers"))
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2)
    passed = models.BooleanField(_("passed"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("quiz attempt")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["enrollment", "lesson", "-created_at"], name="quiz_attempt_lookup_idx")
        ]

    def __str__(self):
        return f"{self.enrollment_id} / {self.lesson_id}: {self.score}%"


class ReviewQuerySet(models.QuerySet):
    def visible(self):
        """The reviews others see: a hidden one stays with its author and admins, out of lists and ratings."""
        return self.filter(hidden_at__isnull=True)


class Review(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    course = models.ForeignKey("catalog.CoursePage", on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["student", "course"], name="one_review_per_student_course"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
        ]
        indexes = [models.Index(fields=["course", "-created_at"], name="review_course_idx")]

    def __str__(self):
        return f"{self.student} on {self.course_id}: {self.rating}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Certificate(models.Model):
    """Issued in the learner's name as it was at completion; a later change of name leaves it as issued.

    A learner without a name at completion is asked for one, and the certificate takes the first name
    they give (learners.services.certificate_holder_names_fill); until then others see a neutral label.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrollment = models.OneToOneField(Enrollment, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=32, unique=True, default=new_certificate_code)
    holder_name = models.CharField(_("holder's name"), max_length=301, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("certificate")
        ordering = ["-issued_at"]

    def __str__(self):
        return self.code

    @property
    def public_holder_name(self) -> str:
        return self.holder_name or str(NO_NAME_LABEL)


def submission_file_path(instance, filename) -> str:
    """An unguessable folder per file: handed-in work is served only through a view that checks who asks
    (learners.site_views.submission_file), never from a public media URL."""
    return f"submissions/{secrets.token_urlsafe(24)}/{PurePath(filename).name}"


class Submission(models.Model):
    """One attempt at an assignment lesson. Attempts are kept: a new one replaces the one awaiting a grade,
    and a grade, given once, decides whether the lesson is complete."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting grading")
        SUPERSEDED = "superseded", _("Replaced by a later attempt")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Not passed")

    GRADED = (Status.PASSED, Status.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="submissions")
    lesson = models.ForeignKey("catalog.LessonPage", on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("attempt"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    text = models.TextField(_("text"), blank=True, help_text=_("Sanitised HTML."))
    link = models.URLField(_("link"), max_length=500, blank=True)
    fingerprint = models.CharField(
        _("fingerprint"), max_length=64, help_text=_("A digest of the work, to recognise a double submit.")
    )
    is_late = models.BooleanField(_("late"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    max_points = models.PositiveIntegerField(_("out of"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson", "number"], name="one_attempt_number_per_lesson"
            ),
            models.UniqueConstraint(
                fields=["enrollment", "lesson"],
                condition=Q(status="submitted"),
                name="one_attempt_awaiting_grading",
            ),
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], condition=Q(status="passed"), name="one_passed_attempt"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["passed", "failed"], graded_at__isnull=False)
                | Q(status__in=["submitted", "superseded"], graded_at__isnull=True),
                name="graded_attempts_have_a_grading_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="submission_queue_idx")]

    def __str__(self):
        return f"{self.enrollment_id} / {self.lesson_id} #{self.number}: {self.status}"

    @property
    def is_graded(self) -> bool:
        return self.status in self.GRADED

    @property
    def passed(self) -> bool | None:
        """True or False once graded; None before."""
        return self.status == self.Status.PASSED if self.is_graded else None


class SubmissionFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=submission_file_path, max_length=255)
    name = models.CharField(_("name"), max_length=255, help_text=_("As the student named it."))
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("submitted file")
        ordering = ["name"]

    def __str__(self):
        return self.name
