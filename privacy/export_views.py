from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from privacy import access, export
from privacy.request_models import AccessArchive
from privacy.view_guards import only_for


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@only_for(access.may_file)
@reauthentication_required(allow_get=True)
def index(request):
    """The subject's exports of what they provided; a POST starts one (password asked again)."""
    user = request.user
    if request.method == "POST":
        try:
            export.start(user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Your export is being prepared. This page shows when it is ready.")
            )
        return redirect("privacy:export")
    now = timezone.now()
    exports = list(export.exports_of(user)[:20])
    for archive in exports:
        archive.open = archive.is_downloadable(now)
    building = any(archive.state == AccessArchive.State.BUILDING for archive in exports)
    context = {"exports": exports, "building": building, "State": AccessArchive.State}
    return render(request, "privacy/export.html", context)
