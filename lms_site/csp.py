"""A Content-Security-Policy on every response, one policy per area of the site.

The site's own pages run no inline script or style, so their policy is strict. Wagtail (/cms/),
unfold (/admin/) and the API documentation get what their own code needs, set in
settings.CONTENT_SECURITY_POLICIES under the longest path prefix that matches. A response that a
view lets be framed by the site itself (X-Frame-Options: SAMEORIGIN, as Wagtail's preview does) may
be framed by the site; everything else by nobody.

First in MIDDLEWARE, so it also covers what any later middleware answers by itself (a cached
page, a redirect, an error page).
"""

from django.conf import settings

HEADER = "Content-Security-Policy"


def serialize(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policies = sorted(settings.CONTENT_SECURITY_POLICIES.items(), key=lambda item: -len(item[0]))

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER in response or (settings.DEBUG and response.status_code in (404, 500)):
            return response  # a view's own policy; Django's debug pages are inline HTML
        directives = next(policy for prefix, policy in self.policies if request.path_info.startswith(prefix))
        framed_by = "'self'" if response.get("X-Frame-Options") == "SAMEORIGIN" else "'none'"
        response[HEADER] = serialize({**directives, "frame-ancestors": [framed_by]})
        return response
