"""State that lives beside a course page rather than in it.

Wagtail rebuilds a page from a revision on publish and revert and copies every field on copy, so
a status or a counter stored on the page would roll back with its content. Kept here, one-to-one
with the page, they only move through catalog.services (status) and learners.services (counters).
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, can_proceed, transition


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PUBLISHED = "published", _("Published")


class ChangeStatus(models.TextChoices):
    """Where a published course's prepared change stands; the live version stays until one is approved."""

    NONE = "none", _("No change under review")
    PENDING = "pending", _("Change pending review")
    REJECTED = "rejected", _("Change rejected")


# Lifecycles waiting for an admin's decision: a course under review, or a change to a published one.
UNDER_REVIEW = models.Q(status=CourseStatus.PENDING) | models.Q(change_status=ChangeStatus.PENDING)


class CourseLifecycle(FSMModelMixin, models.Model):
    course = models.OneToOneField(
        "catalog.CoursePage", on_delete=models.CASCADE, primary_key=True, related_name="lifecycle"
    )
    status = FSMField(
        _("status"), default=CourseStatus.DRAFT, choices=CourseStatus.choices, protected=True, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason of the last rejection"), blank=True)
    change_status = FSMField(
        _("change status"), default=ChangeStatus.NONE, choices=ChangeStatus.choices, protected=True
    )
    change_reason = models.TextField(_("reason the last change was rejected"), blank=True)
    go_live_at = models.DateTimeField(_("scheduled to go live at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    # The course's searchable text (catalog.search), rewritten with its page row. Its GIN index is made
    # by migration 0006 on PostgreSQL only: SQLite has neither the type's operators nor GIN.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("course review")
        verbose_name_plural = _("course reviews")
        indexes = [
            # The catalog's default order, newest published first: one index scan to its first page.
            models.Index(fields=["status", "-published_at"], name="lifecycle_catalog_order_idx"),
        ]

    def __str__(self):
        return self.course.title

    # State only: catalog.services checks who may, saves, logs and notifies. submitted_* and reviewed_*
    # record the last submission and decision, of the course or of a change to it.

    @property
    def under_review(self) -> bool:
        """A review is open: of the course itself, or of a change to the published course."""
        return self.status == CourseStatus.PENDING or self.change_status == ChangeStatus.PENDING

    @property
    def awaits_submission(self) -> bool:
        """Its owner may submit it: a draft or rejected course, or a change to a published one."""
        return can_proceed(self.submit) or can_proceed(self.submit_change)

    def is_published(self) -> bool:
        return self.status == CourseStatus.PUBLISHED

    @transition(field=status, source=[CourseStatus.DRAFT, CourseStatus.REJECTED], target=CourseStatus.PENDING)
    def submit(self):
        pass

    @transition(field=status, source=CourseStatus.PENDING, target=CourseStatus.DRAFT)
    def withdraw(self):
        pass

    @transition(field=status, source=CourseStatus.PENDING, target=CourseStatus.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=CourseStatus.PENDING, target=CourseStatus.REJECTED)
    def reject(self):
        pass

    @transition(field=status, source=CourseStatus.APPROVED, target=CourseStatus.PUBLISHED)
    def publish(self):
        pass

    @transition(field=status, source=CourseStatus.PUBLISHED, target=CourseStatus.DRAFT)
    def unpublish(self):
        pass

    # A change to a published course: the course stays published while it is reviewed.

    @transition(
        field=change_status,
        source=[ChangeStatus.NONE, ChangeStatus.REJECTED],
        target=ChangeStatus.PENDING,
        conditions=[is_published],
    )
    def submit_change(self):
        pass

    @transition(
        field=change_status, source=[ChangeStatus.PENDING, ChangeStatus.REJECTED], target=ChangeStatus.NONE
    )
    def withdraw_change(self):
        pass

    @transition(
        field=change_status, source=ChangeStatus.PENDING, target=ChangeStatus.NONE, conditions=[is_published]
    )
    def approve_change(self):
        pass

    @transition(field=change_status, source=ChangeStatus.PENDING, target=ChangeStatus.REJECTED)
    def reject_change(self):
        pass


class CourseStats(models.Model):
    """Counters the catalog sorts by, kept right by the services that change them (with F())."""

    course = models.OneToOneField(
        "catalog.CoursePage", on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    enrollment_count = models.PositiveIntegerField(_("enrolments"), default=0, db_index=True)
    completion_count = models.PositiveIntegerField(_("completions"), default=0)
    review_count = models.PositiveIntegerField(_("reviews"), default=0)
    rating_total = models.PositiveIntegerField(_("sum of ratings"), default=0)
    average_rating = models.DecimalField(
        _("average rating"), max_digits=3, decimal_places=2, default=0, db_index=True
    )

    class Meta:
        verbose_name = _("course statistics")
        verbose_name_plural = _("course statistics")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(average_rating__gte=0, average_rating__lte=5),
                name="course_rating_in_range",
            ),
        ]

    def __str__(self):
        return self.course.title
