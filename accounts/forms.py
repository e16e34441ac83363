from django import forms
from django.contrib.auth import password_validation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.access import coaches_of_organisation
from accounts.models import Invitation, Language, User
from accounts.roles import Role
from accounts.time_zones import time_zone_choices
from pluform.uploads import SafeFileField

MISSING_COACH = _(
    "Choose the coach of this coachee's trajectory: a coachee always starts with a coach."
)


class InvitationForm(forms.ModelForm):
    """A coach invites a coachee of their own; an organisation manager a coach or coachee."""

    class Meta:
        model = Invitation
        fields = ["email", "role", "coach", "language"]

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        if inviter.role == Role.COACH:
            del self.fields["role"]
            del self.fields["coach"]
        else:
            self.fields["coach"].queryset = coaches_of_organisation(inviter.organisation_id)
        self.fields["language"].help_text = _("The invitation e-mail is written in this language.")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        organisation = self.inviter.organisation_id
        # Only the inviter's own organisation is checked: whether an address has an account
        # elsewhere is not theirs to learn.
        if User.objects.filter(organisation_id=organisation, email__iexact=email).exists():
            raise forms.ValidationError(_("This person already has an account."))
        if Invitation.objects.pending().filter(organisation_id=organisation, email=email).exists():
            raise forms.ValidationError(_("This person already has an open invitation."))
        return email

    def clean(self):
        cleaned = super().clean()
        if self.inviter.role == Role.COACH:
            cleaned["role"] = Role.COACHEE
            cleaned["coach"] = self.inviter
        elif cleaned.get("role") == Role.COACH:
            cleaned["coach"] = None
        elif (
            cleaned.get("role") == Role.COACHEE
            and not cleaned.get("coach")
            and "coach" not in self.errors  # a coach of another organisation: invalid choice
        ):
            # The choice holds only the inviter's own coaches, so a missing coach is all that
            # is left to check here; invitations.issue() refuses it as well.
            self.add_error("coach", MISSING_COACH)
        return cleaned


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["language"].initial = invitation.language

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    photo = SafeFileField(
        label=_("Photo"),
        kinds=("image",),
        required=False,
        help_text=_("Optional. Only you and the people you work with in Pluform see it."),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "language",
            "time_zone",
            "birth_date",
            "gender",
            "phone",
            "message_notifications",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, has_photo=False, **kwargs):
        super().__init__(*args, **kwargs)
        model_field = User._meta.get_field("time_zone")
        self.fields["time_zone"] = forms.ChoiceField(
            label=capfirst(model_field.verbose_name),
            help_text=model_field.help_text,
            choices=time_zone_choices(current=self.instance.time_zone),
        )
        if has_photo:
            self.fields["photo"].label = _("New photo")
        else:
            del self.fields["remove_photo"]


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail address"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email == self.user.email:
            raise forms.ValidationError(_("This is already your e-mail address."))
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("This e-mail address cannot be used."))
        return email
