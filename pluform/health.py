from django.db import connection
from django.http import HttpResponse


class HealthCheckMiddleware:
    """Answers /healthz for load balancers before host validation and HTTPS redirects. The
    headers that SecurityMiddleware would add and that matter for a plain-text answer are set
    here, since that middleware never sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            response = HttpResponse("ok", content_type="text/plain")
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
