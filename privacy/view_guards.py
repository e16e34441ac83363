"""Who may reach a privacy page at all: decided before anything is looked up or the password
is asked again, so that everyone else gets the same 404 as for a page that does not exist."""

from functools import wraps

from django.http import Http404


def only_for(allowed):
    """``allowed(user)`` says whether the signed-in user may use the view; others get a 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
