"""The CMS side of course review: Wagtail's moderation buttons, answered by catalog.services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState


def is_reviewer(user, course) -> bool:
    """Admins review courses, never their own."""
    return user.is_active and user.role == "admin" and course.owner_id != user.pk


class CourseReviewTask(Task):
    """Approve or reject a submitted course. Approval does not publish: that is the admin's next step."""

    class Meta:
        verbose_name = _("course review task")

    @classmethod
    def get_description(cls):
        return _("An admin approves or rejects the course; publishing stays a separate step.")

    def get_actions(self, obj, user):
        if not is_reviewer(user, obj):
            return []
        return [
            ("reject", _("Reject"), True),
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def get_form_for_action(self, action):
        from ..review_forms import RejectionForm, TaskStateCommentForm

        return RejectionForm if action == "reject" else TaskStateCommentForm

    def on_action(self, task_state, user, action_name, **kwargs):
        from lms_site.errors import DomainError

        from ..services import course_approve, course_reject

        course = task_state.workflow_state.content_object.specific
        comment = kwargs.get("comment", "")
        try:
            if action_name == "approve":
                course_approve(course=course, user=user, comment=comment)
            elif action_name == "reject":
                course_reject(course=course, user=user, reason=comment)
        except DomainError as error:
            raise PermissionDenied(error.message) from error

    def user_can_access_editor(self, obj, user):
        return is_reviewer(user, obj)

    def locked_for_user(self, obj, user):
        return not (user.is_active and user.role == "admin")

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not (user.is_active and user.role == "admin"):
            return TaskState.objects.none()
        return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).exclude(
            workflow_state__requested_by=user
        )
