from allauth.account.decorators import reauthentication_required
from allauth.account.utils import perform_login
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access, invitations, services
from accounts.forms import AcceptInvitationForm, EmailChangeForm, InvitationForm, ProfileForm
from accounts.models import Language, ProfilePhoto
from pluform.crypto.streaming import encrypted_file_response

EARLIER_SHOWN = 20


@never_cache
@login_required
def profile(request):
    has_photo = ProfilePhoto.objects.filter(user=request.user).exists()
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=request.user, has_photo=has_photo
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if form.cleaned_data.get("remove_photo"):
                services.remove_photo(request.user)
            elif form.cleaned_data["photo"]:
                services.set_photo(request.user, form.cleaned_data["photo"])
        # Said in the language just chosen, which the next page is shown in.
        with translation.override(request.user.language):
            messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    mfa_on = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    context = {
        "form": form,
        "has_photo": has_photo,
        "mfa_on": mfa_on,
        "earlier_values": request.user.profile_changes.select_related("user")[:EARLIER_SHOWN],
    }
    return render(request, "accounts/profile.html", context)


@require_POST
def set_language(request):
    """Django's language switch; a signed-in user's profile keeps the choice as well.

    Without this, UserLanguageMiddleware would put the profile's language back on the next page.
    """
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER)
    user = request.user
    if user.is_authenticated and language in Language.values and language != user.language:
        user.language = language
        user.save(update_fields=["language"])
    return response


@never_cache
@login_required
def photo(request, user_uuid):
    photo = access.get_photo_for(request.user, user_uuid)
    return encrypted_file_response(
        photo, "file", filename="photo", content_type=photo.content_type, inline=True
    )


@never_cache
@login_required
@reauthentication_required
def change_email(request):
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.change_email(request.user, form.cleaned_data["email"], by_the_user=True)
        messages.success(request, _("Your e-mail address has been changed."))
        return redirect("accounts:profile")
    return render(request, "accounts/change_email.html", {"form": form})


@never_cache
@login_required
def invitation_list(request):
    if not access.may_invite(request.user):
        raise PermissionDenied
    form = InvitationForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitations.invite(
            organisation=request.user.organisation,
            email=data["email"],
            role=data["role"],
            language=data["language"],
            coach=data.get("coach"),
            invited_by=request.user,
        )
        messages.success(request, _("The invitation has been sent."))
        return redirect("accounts:invitations")
    sent = access.invitations_for(request.user)[:200]
    context = {
        "form": form,
        "invitations": sent,
        "invitation_days": settings.PLUFORM_INVITATION_DAYS,
    }
    return render(request, "accounts/invitations.html", context)


@never_cache
@login_required
@require_POST
def revoke_invitation(request, uuid):
    invitation = access.get_invitation_for(request.user, uuid)
    if invitations.revoke(invitation):
        messages.success(request, _("The invitation has been revoked."))
    return redirect("accounts:invitations")


@never_cache
def accept_invitation(request, token):
    invitation = invitations.find(token)
    if invitation is None:
        return render(request, "accounts/invitation_unusable.html", status=404)
    if not invitation.is_pending:
        context = {"invitation": invitation}
        return render(request, "accounts/invitation_unusable.html", context, status=410)
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_logged_in.html")
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = invitations.accept(
                invitation,
                first_name=data["first_name"],
                last_name=data["last_name"],
                language=data["language"],
                password=data["password1"],
            )
        except invitations.InvitationUnusable:
            return render(request, "accounts/invitation_unusable.html", status=410)
        except invitations.EmailTaken:
            return render(request, "accounts/invitation_email_taken.html", status=409)
        messages.success(request, _("Welcome to Pluform."))
        return perform_login(request, user, redirect_url=reverse("home"))
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}
    )
