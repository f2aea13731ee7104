"""Context other apps add to course and lesson pages (learners: the enrol button, progress, quiz form).

catalog cannot import those apps, so they register a provider here when they load:
`provider(request, page) -> dict`, called from CoursePage and LessonPage.get_context.
"""

from collections.abc import Callable

Provider = Callable[[object, object], dict]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def extra_context(request, page) -> dict:
    context: dict = {}
    for provider in _providers:
        context.update(provider(request, page))
    return context
