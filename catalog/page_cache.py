"""Whole-page cache of the catalog and published course pages, for visitors who are not signed in.

Most traffic is anonymous browsing, and those pages are the same for every visitor, so their HTML is
kept in the cache (Redis in production) keyed by the URL and by a version per scope: "catalog" for
the course list, one per course for its page. Whatever changes what they show bumps the version:
publishing and unpublishing (Wagtail's signals, so every path counts), reviews (ratings), enrolments
(places taken, on the course's page only: the catalog's "most enrolled" order may lag behind by up to
PAGE_CACHE_SECONDS) and categories (every page); old entries then go unread until they expire.

Pages for the cache are rendered from the read replica when there is one (lms_site.replica), except
within DATABASE_REPLICA_LAG_SECONDS of a change to what they show, which the replica may not have yet.

Only requests without a session or messages cookie are served from it: a signed-in person, or one
with a message to see, always gets the page rendered for them.

While Redis is unreachable the cache is each process's own memory (lms_site.cache): pages are then
rendered every time, since a change in one process could not reach the copies kept by the others,
and once Redis is back every page kept there before is dropped, since the bumps made meanwhile
never reached it.
"""

from contextlib import nullcontext

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse

from lms_site.cache import recovered
from lms_site.replica import replica_reads

CATALOG = "catalog"
EVERY_PAGE = "all"  # what every cached page shows, such as category names
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def course_scope(course_id: int) -> str:
    return f"course:{course_id}"


def _versions(scope: str) -> tuple[str, bool]:
    """The scopes' versions, and whether one changed too recently for the read replica to have it."""
    names = (EVERY_PAGE, scope)
    keys = [f"pagecache:version:{name}" for name in names]
    found = cache.get_many([*keys, *(f"pagecache:changed:{name}" for name in names)])
    changed = any(f"pagecache:changed:{name}" in found for name in names)
    return ".".join(str(found.get(key, 1)) for key in keys), changed


def invalidate(*scopes: str) -> None:
    """Bump the scopes' versions once the transaction that changed them commits."""
    transaction.on_commit(lambda: _bump(scopes))


def _bump(scopes) -> None:
    for scope in scopes:
        cache.set(f"pagecache:changed:{scope}", True, settings.DATABASE_REPLICA_LAG_SECONDS)
        key = f"pagecache:version:{scope}"
        try:
            cache.incr(key)
        except ValueError:  # no version yet (or evicted): start past the default
            cache.set(key, 2, timeout=None)


@receiver(recovered)
def _drop_pages_kept_before_an_outage(sender, **kwargs):
    _bump([EVERY_PAGE])


def invalidate_course(course_id: int, *, listed: bool = True) -> None:
    """A course's page, and the catalog when what it lists of the course changed."""
    invalidate(*((CATALOG,) if listed else ()), course_scope(course_id))


def serve_cached(request, scope: str, render) -> HttpResponse:
    """The page from the cache for an anonymous visitor, or `render()` (and cache it when it may be)."""
    if not _cacheable(request):
        return render()
    versions, changed = _versions(scope)
    key = f"pagecache:page:{scope}:{versions}:{request.get_full_path()}"
    cached = cache.get(key)
    if cached is not None:
        content, content_type = cached
        return HttpResponse(content, content_type=content_type)
    # The replica may not have a change yet; what is rendered here is kept for PAGE_CACHE_SECONDS.
    with nullcontext() if changed else replica_reads():
        response = render()
        if hasattr(response, "render"):
            response.render()
    if response.status_code == 200:
        cache.set(key, (response.content, response["Content-Type"]), settings.PAGE_CACHE_SECONDS)
    return response


def _cacheable(request) -> bool:
    return (
        not getattr(cache, "degraded", False)
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        and not getattr(request, "is_preview", False)
    )
