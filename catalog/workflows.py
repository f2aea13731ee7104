"""What happens when a CMS review workflow finishes (WAGTAIL_FINISH_WORKFLOW_ACTION)."""

from wagtail.workflows import publish_workflow_state


def finish_workflow(workflow_state, user=None):
    """An approved course waits for an admin to publish it; anything else publishes as usual."""
    from .models import CoursePage

    if issubclass(workflow_state.content_object.specific_class, CoursePage):
        return
    publish_workflow_state(workflow_state, user=user)
