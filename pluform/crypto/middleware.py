from pluform.crypto import datakeys


class DataKeyCacheMiddleware:
    """Unwrapped data keys live for one request, never longer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        datakeys.reset_cache()
        try:
            return self.get_response(request)
        finally:
            datakeys.reset_cache()
