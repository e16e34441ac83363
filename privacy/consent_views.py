from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import coaches_of_organisation
from pluform.forms import add_errors
from privacy import access, consent
from privacy.consent_models import Consent
from privacy.forms import ConsentAskForm


@never_cache
@login_required
@require_GET
def index(request):
    user = request.user
    if not access.may_file(user):
        raise Http404
    consents = list(access.consents_for(user))
    context = {
        "pending": [c for c in consents if c.state == Consent.State.PENDING],
        "granted": [c for c in consents if c.state == Consent.State.GRANTED],
        "past": [
            c for c in consents if c.state not in (Consent.State.PENDING, Consent.State.GRANTED)
        ],
    }
    return render(request, "privacy/consents.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ask(request, trajectory_id):
    coach = request.user
    trajectory = access.get_trajectory_to_share(coach, trajectory_id)
    colleagues = coaches_of_organisation(coach.organisation_id).exclude(
        pk__in=trajectory.coaches.values("pk")
    )
    form = ConsentAskForm(request.POST or None, coaches=colleagues)
    if request.method == "POST" and form.is_valid():
        try:
            consent.ask(
                trajectory,
                form.cleaned_data["coach"],
                requested_by=coach,
                include_history=form.cleaned_data["include_history"],
                apps=form.cleaned_data["apps"],
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The coachee has been asked. Your colleague sees nothing until they say yes."),
            )
            return redirect("privacy:consents")
    context = {"form": form, "trajectory": trajectory}
    return render(request, "privacy/consent_ask.html", context, status=400 if form.errors else 200)


def _decide(action, done):
    @never_cache
    @login_required
    @require_POST
    def view(request, consent_id):
        given = access.get_consent_for(request.user, consent_id)
        try:
            action(given, request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect("privacy:consents")

    return view


grant = _decide(
    consent.grant,
    gettext_lazy("You gave your consent. The coach can now see what you agreed to."),
)
decline = _decide(
    consent.decline, gettext_lazy("You declined. The coach sees nothing of your data.")
)
revoke = _decide(
    consent.revoke, gettext_lazy("You revoked your consent. The coach no longer sees your data.")
)
withdraw = _decide(
    consent.withdraw, gettext_lazy("The question to the coachee has been withdrawn.")
)
