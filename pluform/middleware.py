"""Cross-cutting middleware of the project."""

from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    """Every response to a signed-in user carries ``Cache-Control: no-store``.

    A page for a signed-in user shows personal data (or a form that leads to it), so neither
    the browser nor a proxy may keep a copy. Placed right after AuthenticationMiddleware: it
    sees every response of the views and of the middleware below it, and also the response
    of the request that logs a user in or out. Static files (WhiteNoise, above it) and
    anonymous pages keep their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # SessionLifetimeMiddleware reads request.user on every request anyway: no extra query.
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
