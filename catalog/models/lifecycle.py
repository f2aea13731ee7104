"""State that lives beside a course page rather than in it.

Wagtail rebuilds a page from a revision on publish and revert and copies every field on copy, so
a status or a counter stored on the page would roll back with its content. Kept here, one-to-one
with the page, they only move through catalog.services (status) and learners.services (counters).
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PUBLISHED = "published", _("Published")


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
        return f"{self.course_id}: {self.get_status_display()}"

    # State only: catalog.services checks who may, saves, logs and notifies.

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
        return f"{self.course_id}: {self.enrollment_count} enrolled"
