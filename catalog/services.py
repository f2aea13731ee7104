"""Writes to the catalog: authoring courses, sections and lessons, and the course lifecycle.

Every function is one transaction that checks who is asking and the course's state. The API, the
site, the CMS (workflow task and hooks), the admin panel and the Celery tasks all come here.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_fsm import can_proceed
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import Page

from lms_site.emails import send_templated_email
from lms_site.errors import InvalidTransition, NotAllowed, ValidationFailed
from lms_site.links import absolute_url
from lms_site.models import Role, User

from .models import ChangeStatus, CourseLifecycle, CoursePage, CourseStatus, LessonPage, SectionPage
from .models.workflow import is_reviewer
from .permissions import OTHERS_FILES_MESSAGE, OWNER_DELETABLE, fields_with_others_files, is_admin, owns
from .selectors import course_index

# Fields an author sets through the API; everything else (owner, status, counters) is not theirs.
COURSE_FIELDS = frozenset(
    {
        "title",
        "slug",
        "subtitle",
        "description",
        "category",
        "difficulty",
        "language",
        "price",
        "currency",
        "thumbnail",
        "preview_video_url",
        "learning_outcomes",
        "requirements",
        "estimated_duration_minutes",
        "enrollment_cap",
        "enrollment_opens_at",
        "enrollment_closes_at",
        "is_sequential",
    }
)
SECTION_FIELDS = frozenset({"title", "slug", "description"})
LESSON_FIELDS = frozenset({"title", "slug", "lesson_type", "duration_minutes", "is_preview", "body"})


# Authoring


def _lock(course: CoursePage) -> CourseLifecycle:
    """Lock the course's lifecycle row: writes to one course queue up behind each other."""
    lifecycle = CourseLifecycle.objects.select_for_update().get(course_id=course.pk)
    course.lifecycle = lifecycle
    return lifecycle


def _check_author(course: CoursePage, user: User) -> None:
    """Content changes: the owner while the course is a draft or rejected; admins always."""
    if is_admin(user):
        return
    if course.owner_id != user.pk or user.role != Role.INSTRUCTOR:
        raise NotAllowed(_("Only the course's instructor can change it."))
    if course.lifecycle.status not in OWNER_DELETABLE:
        raise InvalidTransition(
            _("A %(status)s course cannot be changed; it can be edited while a draft or after rejection.")
            % {"status": course.lifecycle.get_status_display().lower()}
        )


def _assign(page: Page, fields: dict, allowed: frozenset) -> None:
    if unknown := sorted(set(fields) - allowed):
        raise ValidationFailed(details={name: [_("This field cannot be set.")] for name in unknown})
    for name, value in fields.items():
        setattr(page, name, value)
    if "title" in fields and "slug" not in fields and not page.pk:
        page.slug = slugify(page.title)[:255] or "page"


def _save(page: Page, *, parent: Page | None, user: User) -> Page:
    """Save a page as the CMS editor would: validated, with a new revision; new pages start as drafts."""
    before = page.latest_revision.as_object() if parent is None and page.latest_revision_id else None
    if fields := fields_with_others_files(user, page, before=before):
        raise ValidationFailed(details={name: [OTHERS_FILES_MESSAGE] for name in fields})
    try:
        if parent is not None:
            page.owner = page.owner or user
            page.live = False
            page.slug = _free_slug(parent, page.slug)
            parent.add_child(instance=page)
        else:
            page.full_clean()
            page.save()
    except ValidationError as error:
        raise ValidationFailed(details=_error_details(error)) from error
    revision = page.save_revision(user=user, log_action=True)
    if page.live:  # an admin changing published content changes it for everyone, as in the CMS
        revision.publish(user=user)
    return page


def _error_details(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {name: [str(message) for message in messages] for name, messages in error.message_dict.items()}
    return {"non_field_errors": [str(message) for message in error.messages]}


def _free_slug(parent: Page, slug: str) -> str:
    siblings = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in siblings:
        candidate = f"{slug}-{number}"
        number += 1
    return candidate


@transaction.atomic
def course_create(*, user: User, **fields) -> CoursePage:
    """A new draft course owned by the instructor who makes it."""
    if not (user.is_active and user.role == Role.INSTRUCTOR):
        raise NotAllowed(_("Only instructors can create courses."))
    index = course_index()
    if index is None:
        raise ValidationFailed(_("The catalog has no course index page yet."))
    course = CoursePage(owner=user)
    _assign(course, fields, COURSE_FIELDS)
    return _save(course, parent=index, user=user)


@transaction.atomic
def course_update(*, course: CoursePage, user: User, **fields) -> CoursePage:
    _lock(course)
    _check_author(course, user)
    _assign(course, fields, COURSE_FIELDS)
    return _save(course, parent=None, user=user)


@transaction.atomic
def page_delete(*, page: Page, course: CoursePage, user: User) -> None:
    """Delete a course, section or lesson with everything below it."""
    _lock(course)
    _check_author(course, user)
    page.delete(user=user, skip_permission_checks=True)  # checked above, by the same rules


@transaction.atomic
def section_create(*, course: CoursePage, user: User, position: int | None = None, **fields) -> SectionPage:
    _lock(course)
    _check_author(course, user)
    section = SectionPage()
    _assign(section, fields, SECTION_FIELDS)
    _save(section, parent=course, user=user)
    _place(section, position)
    return section


@transaction.atomic
def section_update(
    *, section: SectionPage, course: CoursePage, user: User, position: int | None = None, **fields
) -> SectionPage:
    _lock(course)
    _check_author(course, user)
    _assign(section, fields, SECTION_FIELDS)
    _save(section, parent=None, user=user)
    _place(section, position)
    return section


@transaction.atomic
def lesson_create(
    *, section: SectionPage, course: CoursePage, user: User, position: int | None = None, **fields
) -> LessonPage:
    _lock(course)
    _check_author(course, user)
    lesson = LessonPage()
    _assign(lesson, fields, LESSON_FIELDS)
    _save(lesson, parent=section, user=user)
    _place(lesson, position)
    return lesson


@transaction.atomic
def lesson_update(
    *, lesson: LessonPage, course: CoursePage, user: User, position: int | None = None, **fields
) -> LessonPage:
    _lock(course)
    _check_author(course, user)
    _assign(lesson, fields, LESSON_FIELDS)
    _save(lesson, parent=None, user=user)
    _place(lesson, position)
    return lesson


@transaction.atomic
def outline_move(*, page: SectionPage | LessonPage, course: CoursePage, user: User, position: int) -> None:
    """Reorders the outline: `page` to a 1-based place among its siblings. Live pages move at once, so a
    course's owner reorders only while it is a draft or rejected, as for any other change."""
    _lock(course)
    _check_author(course, user)
    if not page.path.startswith(course.path) or page.pk == course.pk:
        raise NotAllowed(_("Only the course's own sections and lessons can be moved."))
    _place(page, position)


@transaction.atomic
def outline_move_lesson(*, lesson: LessonPage, section: SectionPage, course: CoursePage, user: User) -> None:
    """Moves a lesson to the end of another section of the same course."""
    _lock(course)
    _check_author(course, user)
    if not (lesson.path.startswith(course.path) and section.path.startswith(course.path)):
        raise NotAllowed(_("Only the course's own sections and lessons can be moved."))
    lesson.move(section, pos="last-child")


def _place(page: Page, position: int | None) -> None:
    """Move a page to a 1-based position among its siblings (the outline's order is tree order)."""
    if position is None:
        return
    siblings = list(page.get_siblings(inclusive=True).order_by("path"))
    position = max(1, min(position, len(siblings)))
    target = siblings[position - 1]
    if target.pk == page.pk:
        return
    current = siblings.index(next(sibling for sibling in siblings if sibling.pk == page.pk))
    page.move(target, pos="left" if position - 1 < current else "right")


# Lifecycle


def submission_problems(course: CoursePage) -> dict[str, list[str]]:
    """What a course lacks before it can be reviewed (empty when it is complete)."""
    problems: dict[str, list[str]] = {}
    for name, label in (("title", _("a title")), ("description", _("a description"))):
        if not (getattr(course, name) or "").strip():
            problems[name] = [_("Add %(what)s before submitting.") % {"what": label}]
    if course.category_id is None:
        problems["category"] = [_("Choose a category before submitting.")]
    if not (course.pk and SectionPage.objects.child_of(course).filter(numchild__gt=0).exists()):
        problems["sections"] = [_("Add at least one section holding at least one lesson.")]
    return problems


def _begin(course: CoursePage, name: str, *, allowed: bool, refusal: str) -> tuple[CourseLifecycle, str]:
    """Lock, check the person then the state, and take the transition (not yet saved)."""
    lifecycle = _lock(course)
    if not allowed:
        raise NotAllowed(refusal)
    transition = getattr(lifecycle, name)
    if not can_proceed(transition):
        if name in CHANGE_DONE:
            raise InvalidTransition(
                _("This course's change is not pending review; it cannot be %(done)s.")
                % {"done": CHANGE_DONE[name]}
                if lifecycle.is_published()
                else _("Only a published course takes changes for review.")
            )
        raise InvalidTransition(
            _("This course is %(status)s; it cannot be %(done)s.")
            % {"status": lifecycle.get_status_display().lower(), "done": DONE[name]}
        )
    previous = _state(lifecycle, name)
    transition()
    return lifecycle, previous


def _state(lifecycle: CourseLifecycle, name: str) -> str:
    """The state a transition moves: the change's for a change, else the course's."""
    return lifecycle.change_status if name in CHANGE_DONE else lifecycle.status


DONE = {
    "submit": _("submitted"),
    "withdraw": _("withdrawn"),
    "approve": _("approved"),
    "reject": _("rejected"),
    "publish": _("published"),
    "unpublish": _("unpublished"),
}
CHANGE_DONE = {
    "submit_change": _("submitted"),
    "withdraw_change": _("withdrawn"),
    "approve_change": _("approved"),
    "reject_change": _("rejected"),
}


def _finish(
    course: CoursePage,
    lifecycle: CourseLifecycle,
    name: str,
    previous: str,
    *,
    user: User | None,
    reason: str = "",
    notify=None,
) -> CoursePage:
    """Save the new state, write it to the page's audit log and tell whoever needs to know."""
    lifecycle.save()
    log(
        instance=course,
        action=f"catalog.course.{name}",
        user=user,
        data={"from": previous, "to": _state(lifecycle, name), "reason": reason},
    )
    if notify == "submitted":
        _tell(course, "course_submitted", recipients=_admin_emails())
    elif notify:
        _tell(course, "course_status", recipients=_owner_email(course), event=notify)
    return course


def _owner_email(course: CoursePage) -> list[str]:
    return [course.owner.email] if course.owner_id else []


def _admin_emails() -> list[str]:
    return list(User.objects.filter(role=Role.ADMIN, is_active=True).values_list("email", flat=True))


def _tell(course: CoursePage, template: str, *, recipients: list[str], event: str = "") -> None:
    if not recipients:
        return
    send_templated_email(
        template_prefix=f"catalog/email/{template}",
        to=recipients,
        context={
            "event": event,
            "course": course,
            "lifecycle": course.lifecycle,
            "instructor": course.owner,
            "edit_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[course.pk])),
            "review_url": absolute_url(reverse("admin:catalog_courselifecycle_changelist")),  # pending first
            "course_url": absolute_url(course.url or "/"),
        },
    )


def _workflow_state(course: CoursePage):
    return course.workflow_states.active().first()


def _on(course: CoursePage, name: str) -> str:
    """The transition a lifecycle action takes: on a published course it acts on the course's change."""
    return f"{name}_change" if _lock(course).is_published() else name


def has_unpublished_change(course: CoursePage) -> bool:
    """Whether the course, or a section or lesson in it, holds a draft not yet live."""
    return (
        Page.objects.descendant_of(course, inclusive=True)
        .filter(Q(has_unpublished_changes=True) | Q(live=False))
        .exists()
    )


@transaction.atomic
def course_submit(*, course: CoursePage, user: User) -> CoursePage:
    """The owner asks for review of a course, or of a change to a published one: it must be complete;
    the CMS review workflow starts."""
    name = _on(course, "submit")
    lifecycle, previous = _begin(
        course, name, allowed=owns(user, course), refusal=_("Only the course's instructor can submit it.")
    )
    reviewed = course
    if name == "submit_change":
        if not has_unpublished_change(course):
            raise InvalidTransition(_("The course has no change to review: edit it first."))
        reviewed = course.get_latest_revision_as_object()
    if problems := submission_problems(reviewed):
        raise ValidationFailed(_("The course is not ready for review."), details=problems)
    lifecycle.submitted_at, lifecycle.submitted_by = timezone.now(), user
    _finish(course, lifecycle, name, previous, user=user, notify="submitted")
    workflow = course.get_workflow()
    if workflow is not None and _workflow_state(course) is None:
        if course.get_latest_revision() is None:
            course.save_revision(user=user)
        workflow.start(course, user)  # its signal finds the course already pending
    return course


@transaction.atomic
def course_withdraw(*, course: CoursePage, user: User) -> CoursePage:
    """Take a course out of review, back to draft; or a published course's change, back to a draft change."""
    name = _on(course, "withdraw")
    lifecycle, previous = _begin(
        course,
        name,
        allowed=owns(user, course) or is_admin(user),
        refusal=_("Only the course's instructor can withdraw it."),
    )
    _finish(course, lifecycle, name, previous, user=user)
    if state := _workflow_state(course):
        state.cancel(user=user)
    return course


@transaction.atomic
def course_approve(*, course: CoursePage, user: User, comment: str = "") -> CoursePage:
    """An admin other than the owner approves. A new course is published as a separate step; a change
    to a published course goes live at once, its course, sections and lessons together."""
    name = _on(course, "approve")
    lifecycle, previous = _begin(
        course,
        name,
        allowed=is_reviewer(user, course),
        refusal=_("Only an admin other than its instructor can approve a course."),
    )
    lifecycle.reviewed_at, lifecycle.reviewed_by = timezone.now(), user
    setattr(lifecycle, REASON[name], "")
    _finish(course, lifecycle, name, previous, user=user, reason=comment.strip(), notify=NOTICE[name])
    if (task_state := course.current_workflow_task_state) is not None:
        task_state.approve(user=user, comment=comment)  # finishing the workflow does not publish
    if name == "approve_change":
        _publish_drafts(course, user=user)
    return course


# A decision's reason field, and the event its email tells the instructor of.
REASON = {
    "approve": "reason",
    "reject": "reason",
    "approve_change": "change_reason",
    "reject_change": "change_reason",
}
NOTICE = {
    "approve": "approved",
    "reject": "rejected",
    "approve_change": "change_approved",
    "reject_change": "change_rejected",
}


@transaction.atomic
def course_reject(*, course: CoursePage, user: User, reason: str) -> CoursePage:
    """An admin sends the course, or a published course's change, back with a reason the instructor
    receives; a published course stays live as it was."""
    name = _on(course, "reject")
    lifecycle, previous = _begin(
        course, name, allowed=is_admin(user), refusal=_("Only admins can reject a course.")
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(details={"reason": [_("Say why the course is rejected.")]})
    lifecycle.reviewed_at, lifecycle.reviewed_by = timezone.now(), user
    setattr(lifecycle, REASON[name], reason)
    _finish(course, lifecycle, name, previous, user=user, reason=reason, notify=NOTICE[name])
    if (task_state := course.current_workflow_task_state) is not None:
        task_state.reject(user=user, comment=reason)
    if state := _workflow_state(course):
        state.cancel(user=user)  # the next submission starts a fresh review
    return course


@transaction.atomic
def course_publish(*, course: CoursePage, user: User, go_live_at=None) -> CoursePage:
    """Put an approved course live now, or schedule it for `go_live_at`."""
    if go_live_at is not None and go_live_at > timezone.now():
        lifecycle = _lock(course)
        if not is_admin(user):
            raise NotAllowed(_("Only admins can publish a course."))
        if lifecycle.status != CourseStatus.APPROVED:
            raise InvalidTransition(_("Only an approved course can be scheduled."))
        lifecycle.go_live_at = go_live_at
        lifecycle.save(update_fields=["go_live_at"])
        course.go_live_at = go_live_at
        course.save_revision(user=user).publish(user=user, skip_permission_checks=True)
        log(
            instance=course,
            action="catalog.course.schedule",
            user=user,
            data={"go_live_at": go_live_at.isoformat()},
        )
        return course
    lifecycle, previous = _begin(
        course, "publish", allowed=is_admin(user), refusal=_("Only admins can publish a course.")
    )
    return _go_live(course, lifecycle, previous, user=user)


@transaction.atomic
def course_page_went_live(*, page: Page) -> None:
    """A course's pages are live only while it is published.

    An approved course reaching its go-live time (Wagtail's publish_scheduled) turns published;
    any other page of an unpublished course put live outside the review (a copy kept live, a
    revision published by hand) is taken offline again.
    """
    course = page if isinstance(page, CoursePage) else page.specific.course
    lifecycle = _lock(course)
    if lifecycle.status == CourseStatus.PUBLISHED:
        return
    if page.pk == course.pk and lifecycle.status == CourseStatus.APPROVED:
        previous = lifecycle.status
        lifecycle.publish()
        _go_live(course, lifecycle, previous, user=None)
        return
    fresh = type(page).objects.get(pk=page.pk)  # the sender may hold stale fields (a copy does)
    UnpublishPageAction(fresh).execute(skip_permission_checks=True)
    page.live = False


def _go_live(
    course: CoursePage, lifecycle: CourseLifecycle, previous: str, *, user: User | None
) -> CoursePage:
    lifecycle.published_at, lifecycle.go_live_at = timezone.now(), None
    _finish(course, lifecycle, "publish", previous, user=user, notify="published")
    if course.go_live_at:  # publishing now overrides an earlier schedule
        course.go_live_at = None
        course.save_revision(user=user)
    return _publish_drafts(course, user=user)


def _publish_drafts(course: CoursePage, *, user: User | None) -> CoursePage:
    """Put the latest revision of the course and of every section and lesson in it live."""
    for page in [course, *course.get_descendants().specific()]:
        if page.latest_revision_id is None:
            page.save_revision(user=user)
        if not page.live or page.has_unpublished_changes:
            page.get_latest_revision().publish(user=user, skip_permission_checks=True)
    return course


@transaction.atomic
def course_unpublish(*, course: CoursePage, user: User) -> CoursePage:
    """Take a course out of the catalog, back to draft; enrolments keep their history."""
    lifecycle, previous = _begin(
        course, "unpublish", allowed=is_admin(user), refusal=_("Only admins can unpublish a course.")
    )
    if lifecycle.change_status != ChangeStatus.NONE:
        lifecycle.withdraw_change()  # a draft's edits are reviewed with the course when it is submitted again
    _finish(course, lifecycle, "unpublish", previous, user=user, notify="unpublished")
    if state := _workflow_state(course):
        state.cancel(user=user)
    UnpublishPageAction(course, user=user, include_descendants=True).execute(skip_permission_checks=True)
    return course
