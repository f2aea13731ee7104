"""The course tree: CourseIndexPage > CoursePage > SectionPage > LessonPage. Order is tree order."""

from decimal import Decimal

from django import forms
from django.conf import global_settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..blocks import BODY_BLOCKS, body_errors
from ..cms_forms import CourseContentForm, CourseForm, LessonBodyPanel
from ..search import WEIGHTS, refresh_course_vector
from .lifecycle import CourseLifecycle, CourseStats, CourseStatus

SEARCHABLE_FIELDS = {name for name, _weight in WEIGHTS}


class Difficulty(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class LessonType(models.TextChoices):
    VIDEO = "video", _("Video")
    TEXT = "text", _("Text")
    QUIZ = "quiz", _("Quiz")
    ASSIGNMENT = "assignment", _("Assignment")
    RESOURCE = "resource", _("Resource")


STUDENT_PREVIEW = "student"


class StudentPreviewMixin:
    """Besides the page as its instructor sees it, the preview shows it as an enrolled student who has
    just started would: no answers, no manager's notes, sequential locks in force."""

    @property
    def preview_modes(self):
        return [("", _("As you see it")), (STUDENT_PREVIEW, _("As a student"))]


class CourseIndexPage(Page):
    """The catalog: lists the published courses below it, with search and filters."""

    intro = models.TextField(_("intro"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["catalog.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course index")

    def serve(self, request, *args, **kwargs):
        from ..page_cache import CATALOG, serve_cached

        return serve_cached(
            request, CATALOG, lambda: super(CourseIndexPage, self).serve(request, *args, **kwargs)
        )

    def get_context(self, request, *args, **kwargs):
        from ..site_views import catalog_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalog_context(request))
        return context


class CourseQuerySet(PageQuerySet):
    def in_catalog(self):
        """What students see: live pages whose lifecycle says published (the two never part)."""
        return self.live().filter(lifecycle__status=CourseStatus.PUBLISHED)

    def visible_to(self, user):
        """The catalog, plus one's own courses for instructors and everything for admins."""
        if user.is_authenticated and user.is_active and user.role == "admin":
            return self.all()
        visible = models.Q(live=True, lifecycle__status=CourseStatus.PUBLISHED)
        if user.is_authenticated and user.is_active and user.role == "instructor":
            visible |= models.Q(owner=user)
        return self.filter(visible)

    def with_card_data(self):
        return self.select_related("lifecycle", "stats", "category", "owner", "thumbnail")


class CoursePage(StudentPreviewMixin, Page):
    """A course. Its owner is the instructor; its status is on `lifecycle`, its counters on `stats`."""

    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=20, choices=Difficulty.choices, default=Difficulty.BEGINNER
    )
    language = models.CharField(_("language"), max_length=10, choices=global_settings.LANGUAGES, default="en")
    price = models.DecimalField(
        _("price"), max_digits=8, decimal_places=2, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    thumbnail = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("thumbnail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    preview_video_url = models.URLField(_("preview video URL"), blank=True)
    learning_outcomes = models.TextField(_("learning outcomes"), blank=True, help_text=_("One per line."))
    requirements = models.TextField(_("requirements"), blank=True, help_text=_("One per line."))
    estimated_duration_minutes = models.PositiveIntegerField(_("estimated duration (minutes)"), default=0)
    enrollment_cap = models.PositiveIntegerField(
        _("enrolment cap"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    enrollment_opens_at = models.DateTimeField(_("enrolment opens"), null=True, blank=True)
    enrollment_closes_at = models.DateTimeField(_("enrolment closes"), null=True, blank=True)
    is_sequential = models.BooleanField(
        _("sequential"), default=False, help_text=_("Lessons open one after another as they are completed.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # The live row's last save: a change prepared on a published course moves it only once it goes live.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PageManager.from_queryset(CourseQuerySet)()
    exclude_fields_in_copy = ["created_at"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        FieldPanel("description"),
        # A plain select: choosing a category needs no snippet permissions, which instructors lack.
        FieldRowPanel(
            [FieldPanel("category", widget=forms.Select), FieldPanel("difficulty"), FieldPanel("language")]
        ),
        FieldPanel("thumbnail"),
        FieldPanel("preview_video_url"),
        FieldPanel("learning_outcomes"),
        FieldPanel("requirements"),
        FieldPanel("estimated_duration_minutes"),
    ]
    enrolment_panels = [
        FieldRowPanel([FieldPanel("price"), FieldPanel("currency")], heading=_("Price")),
        MultiFieldPanel(
            [
                FieldPanel("enrollment_cap"),
                FieldRowPanel([FieldPanel("enrollment_opens_at"), FieldPanel("enrollment_closes_at")]),
                FieldPanel("is_sequential"),
            ],
            heading=_("Enrolment"),
        ),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(enrolment_panels, heading=_("Price and enrolment")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("description"),
        index.FilterField("category"),
        index.FilterField("difficulty"),
        index.FilterField("owner"),
    ]

    parent_page_types = ["catalog.CourseIndexPage"]
    subpage_types = ["catalog.SectionPage"]
    base_form_class = CourseForm

    class Meta:
        verbose_name = _("course")
        indexes = [
            models.Index(fields=["difficulty"], name="course_difficulty_idx"),
            models.Index(fields=["price"], name="course_price_idx"),
        ]

    def save(self, *args, **kwargs):
        # A page built from a revision already has its records; only a brand new row (add_child
        # or copy) lacks them.
        is_new = self.pk is None
        super().save(*args, **kwargs)
        if is_new:
            CourseLifecycle.objects.create(course=self)
            CourseStats.objects.create(course=self)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or SEARCHABLE_FIELDS.intersection(update_fields):
            refresh_course_vector(self)

    def with_content_json(self, content):
        """A revision saved before `created_at` existed must not reset it."""
        page = super().with_content_json(content)
        page.created_at = self.created_at
        return page

    def clean(self):
        super().clean()
        opens, closes = self.enrollment_opens_at, self.enrollment_closes_at
        if opens and closes and closes <= opens:
            raise ValidationError({"enrollment_closes_at": _("Enrolment must close after it opens.")})

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def is_in_catalog(self) -> bool:
        """This course as `CoursePage.objects.in_catalog()` sees it: live and published."""
        return self.live and self.lifecycle.status == CourseStatus.PUBLISHED

    @property
    def instructor(self):
        return self.owner

    @property
    def status(self) -> str:
        return self.lifecycle.status

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    @property
    def requirement_list(self) -> list[str]:
        return [line.strip() for line in self.requirements.splitlines() if line.strip()]

    def permissions_for_user(self, user):
        from ..permissions import CoursePermissionTester

        return CoursePermissionTester(user, self, course=self)

    def serve(self, request, *args, **kwargs):
        from ..page_cache import course_scope, serve_cached
        from ..selectors import course_is_visible_to

        if not course_is_visible_to(self, request.user):
            raise Http404
        return serve_cached(
            request, course_scope(self.pk), lambda: super(CoursePage, self).serve(request, *args, **kwargs)
        )

    def get_context(self, request, *args, **kwargs):
        from ..page_context import extra_context
        from ..site_views import course_view

        context = super().get_context(request, *args, **kwargs)
        context["view"] = course_view(request, self)
        context.update(extra_context(request, self))
        return context


class CourseContentPage(Page):
    """Sections and lessons: moderated as part of their course, never on their own."""

    base_form_class = CourseContentForm

    class Meta:
        abstract = True

    @cached_property
    def course(self) -> CoursePage:
        return CoursePage.objects.ancestor_of(self).select_related("lifecycle", "owner").get()

    def get_workflow(self):
        return None

    def permissions_for_user(self, user):
        from ..permissions import CoursePermissionTester

        if self.pk is None:
            # The editor's "add" form asks about the page it is creating, which has no place in the tree
            # and so no course yet (adding itself is checked on the parent). Asking the course would fail
            # inside the template and leave out the panels after it, comments among them.
            return super().permissions_for_user(user)
        return CoursePermissionTester(user, self, course=self.course)


class SectionPage(CourseContentPage):
    description = models.TextField(_("description"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("description")]
    parent_page_types = ["catalog.CoursePage"]
    subpage_types = ["catalog.LessonPage"]

    class Meta:
        verbose_name = _("section")

    def serve(self, request, *args, **kwargs):
        raise Http404  # a section is a heading in its course's outline, not a page of its own


class LessonPage(StudentPreviewMixin, CourseContentPage):
    lesson_type = models.CharField(
        _("type"), max_length=20, choices=LessonType.choices, default=LessonType.TEXT
    )
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=0)
    is_preview = models.BooleanField(
        _("free preview"), default=False, help_text=_("Anyone may open this lesson, enrolled or not.")
    )
    body = StreamField(BODY_BLOCKS, verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("lesson_type"), FieldPanel("duration_minutes"), FieldPanel("is_preview")]),
        LessonBodyPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["catalog.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        indexes = [models.Index(fields=["lesson_type"], name="lesson_type_idx")]

    def clean(self):
        super().clean()
        if errors := body_errors(self.lesson_type, [block.block_type for block in self.body]):
            raise ValidationError({"body": errors})

    @property
    def quiz(self):
        """The quiz block's value (pass_mark, questions), or None for other lessons."""
        return next((block.value for block in self.body if block.block_type == "quiz"), None)

    @property
    def assignment(self):
        """The assignment block's value (brief, grading and hand-in settings), or None for other lessons."""
        return next((block.value for block in self.body if block.block_type == "assignment"), None)

    def get_context(self, request, *args, **kwargs):
        from ..page_context import extra_context
        from ..site_views import lesson_view

        context = super().get_context(request, *args, **kwargs)
        context["view"] = lesson_view(request, self)
        context.update(extra_context(request, self))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)  # a TemplateResponse, rendered later
        access = response.context_data["view"].access
        if not access.can_view_outline:
            raise Http404
        if not access.can_view_body:
            response.status_code = 403  # the page says how to get in: enrol
        return response
