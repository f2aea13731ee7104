"""Whole-page cache of the catalog and published course pages, for visitors who are not signed in.

Most traffic is anonymous browsing, and those pages are the same for every visitor, so their HTML is
kept in the cache (Redis in production) keyed by the URL and by a version per scope: "catalog" for
the course list, one per course for its page. Whatever changes what they show bumps the version:
publishing and unpublishing (Wagtail's signals, so every path counts), reviews (ratings), enrolments
(places taken, on the course's page only: the catalog's "most enrolled" order may lag behind by up to
PAGE_CACHE_SECONDS) and categories (every page); old entries then go unread until they expire.

Pages for the cache are rendered from the read replica when there is one (lms_site.replica), except
within DATABASE_REPLICA_LAG_SECONDS of a change to what they show, which the replica may not have yet.

Only GET and HEAD requests without a session or messages cookie (nor credentials) are served from
it: a signed-in person, or one with a message to see, always gets the page rendered for them.

A page is kept under its address (path, query string and language) with the scope and the versions it
was rendered under. `PageCacheMiddleware` answers from there before Wagtail finds the site and routes
the path, so a hit costs two cache reads (the entry, then its scope's versions) and no SQL; an entry
whose versions moved on is a miss, and the page rendered then replaces it. The API's course list keeps
its anonymous answers the same way (`cached_data`), with the same lag on enrolment counts.

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


def _versions(scope: str) -> str:
    keys = [f"pagecache:version:{name}" for name in (EVERY_PAGE, scope)]
    found = cache.get_many(keys)
    return ".".join(str(found.get(key, 1)) for key in keys)


def _changed_recently(scope: str) -> bool:
    """Whether the scope changed too recently for the read replica to have the change."""
    return bool(cache.get_many([f"pagecache:changed:{name}" for name in (EVERY_PAGE, scope)]))


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
    """`render()`, kept for the next anonymous visitors when it may be (PageCacheMiddleware serves it)."""
    if not _cacheable(request):
        return render()
    versions = _versions(scope)  # read first: a change committed while rendering leaves the entry stale
    # The replica may not have a recent change yet; what is rendered here is kept for PAGE_CACHE_SECONDS.
    with nullcontext() if _changed_recently(scope) else replica_reads():
        response = render()
        if hasattr(response, "render"):
            response.render()
    if response.status_code == 200:
        entry = (scope, versions, response.content, response["Content-Type"])
        cache.set(_entry_key(request), entry, settings.PAGE_CACHE_SECONDS)
    return response


def cached_response(request) -> HttpResponse | None:
    """The page kept for this address, if it may be served to this request and is still current."""
    if not _cacheable(request):
        return None
    entry = cache.get(_entry_key(request))
    if entry is None:
        return None
    scope, versions, content, content_type = entry
    if versions != _versions(scope):
        return None
    return HttpResponse(content, content_type=content_type)


def cached_data(request, scope: str, compute):
    """What an anonymous API list answers (`compute()`), kept under the scope's versions like a page:
    the same for every caller without credentials, so a repeat costs two cache reads and no SQL."""
    if not _cacheable(request):
        return compute()
    key = f"pagecache:data:{scope}:{_versions(scope)}:{request.get_full_path()}"
    data = cache.get(key)
    if data is None:
        data = compute()
        cache.set(key, data, settings.PAGE_CACHE_SECONDS)
    return data


class PageCacheMiddleware:
    """Anonymous visitors' catalog and course pages straight from the cache, before Wagtail's routing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return cached_response(request) or self.get_response(request)


def _entry_key(request) -> str:
    return f"pagecache:entry:{getattr(request, 'LANGUAGE_CODE', '')}:{request.get_full_path()}"


def _cacheable(request) -> bool:
    """Whether this request sees what every visitor sees. Its user is only looked at when it carries a
    session cookie, which already rules it out: no session is loaded for a page from the cache."""
    return (
        not getattr(cache, "degraded", False)
        and request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.user.is_authenticated
        and not getattr(request, "is_preview", False)
    )
