from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import CONTENT_ROLES
from dialogue import access, message_html, queries, services
from dialogue.forms import (
    AddParticipantForm,
    EditMessageForm,
    GroupForm,
    InboxFilterForm,
    MessageForm,
    message_form_html,
)
from pluform.crypto.streaming import encrypted_file_response
from privacy import audit
from privacy.audit import Action


def _subject(dialogue):
    """The coachee whose data a one-to-one dialogue is; a group has no single subject."""
    return dialogue.trajectory.coachee if dialogue.trajectory_id else None


def _detail_url(dialogue, message=None):
    url = reverse("dialogue:detail", args=[dialogue.pk])
    return f"{url}#m-{message.pk}" if message else url


def _require_coach(user):
    if not user.is_coach:
        raise Http404


@never_cache
@login_required
@require_GET
def inbox(request):
    user = request.user
    if user.role not in CONTENT_ROLES:
        raise Http404
    services.ensure_dialogues_for(user)
    coachee, filter_form = None, None
    if user.is_coach:
        filter_form = InboxFilterForm(request.GET or None, coachees=queries.inbox_coachees(user))
        if filter_form.is_valid():
            coachee = filter_form.cleaned_data["coachee"]
    paginator = Paginator(queries.inbox_for(user, coachee), queries.DIALOGUES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    queries.label_all(page, user)
    page_query = f"&coachee={coachee.uuid}" if coachee else ""
    context = {
        "page": page,
        "filter_form": filter_form,
        "coachee_options": _options(filter_form["coachee"]) if filter_form else [],
        "coachee": coachee,
        "page_query": page_query,
    }
    return render(request, "dialogue/inbox.html", context)


def _options(bound_field):
    """(value, label, selected) of a select's choices: the inbox filter writes its options
    itself, because the select widget renders a template per option."""
    chosen = str(bound_field.value() or "")
    return [
        (str(value), label, str(value) == chosen)
        for value, label in bound_field.field.choices
        if str(value)
    ]


def _render_dialogue(request, dialogue, form):
    try:
        data = queries.dialogue_page(dialogue, request.user, request.GET.get("page"))
    except services.NotAParticipant:
        raise Http404 from None
    message_html.render_page(data, request)
    audit.record(request, Action.VIEW, subject=_subject(dialogue), obj=dialogue)
    if data.is_newest and data.first_new_id:
        # Only when something new is shown: reading an unchanged dialogue writes nothing.
        services.mark_read(dialogue, request.user)
    context = {"data": data, "form": form, "form_html": message_form_html(form)}
    return render(request, "dialogue/detail.html", context)


@never_cache
@login_required
@require_GET
def detail(request, dialogue_id):
    dialogue = access.get_dialogue_for(request.user, dialogue_id)
    return _render_dialogue(request, dialogue, MessageForm())


@never_cache
@login_required
@require_POST
def post_message(request, dialogue_id):
    dialogue = access.get_dialogue_for(request.user, dialogue_id)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message, created = services.post_message(
                dialogue, request.user, form.cleaned_data["body"], form.uploads()
            )
        except services.NotAParticipant:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                audit.record(request, Action.CREATE, subject=_subject(dialogue), obj=message)
            return redirect(_detail_url(dialogue, message))
    return _render_dialogue(request, dialogue, form)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit_message(request, dialogue_id, message_id):
    message = access.get_message_for(request.user, dialogue_id, message_id)
    dialogue = message.dialogue
    if message.author_id != request.user.pk or not request.user.is_coach:
        raise Http404
    if not services.can_change(message, request.user):
        messages.error(
            request,
            _("You can only change your own message, and only within 15 minutes of sending it."),
        )
        return redirect(_detail_url(dialogue))
    form = EditMessageForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_message(message, request.user, form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit.record(request, Action.CHANGE, subject=_subject(dialogue), obj=message)
            messages.success(request, _("Your message has been changed."))
            return redirect(_detail_url(dialogue, message))
    if request.method == "GET":
        audit.record(request, Action.VIEW, subject=_subject(dialogue), obj=message)
    context = {"dialogue": dialogue, "message": message, "form": form}
    return render(request, "dialogue/edit_message.html", context)


def _destroy(request, message, destroy, *, detail, done):
    """Runs a service that destroys a message's content, audits it and says so."""
    try:
        destroy(message, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        subject = _subject(message.dialogue)
        audit.record(request, Action.DELETE, subject=subject, obj=message, detail=detail)
        messages.success(request, done)
    return redirect(_detail_url(message.dialogue))


@never_cache
@login_required
@require_POST
def withdraw_message(request, dialogue_id, message_id):
    message = access.get_message_for(request.user, dialogue_id, message_id)
    if message.author_id != request.user.pk:
        raise Http404
    return _destroy(
        request,
        message,
        services.withdraw_message,
        detail="withdrawn by its author",
        done=_("Your message has been withdrawn."),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def remove_message(request, dialogue_id, message_id):
    """GET asks to confirm (what removal destroys); POST removes."""
    message = access.get_message_for(request.user, dialogue_id, message_id)
    if not message.dialogue.can_lead:
        raise Http404
    if request.method == "GET":
        context = {"dialogue": message.dialogue, "message": message}
        return render(request, "dialogue/remove_message.html", context)
    return _destroy(
        request,
        message,
        services.remove_message,
        detail="removed from the wrong dialogue",
        done=_("The message has been removed. Its content is destroyed."),
    )


def _serve_attachment(request, item, *, inline, detail=""):
    # docs/audit.md: a download is a DOWNLOAD, a preview shown in the page a VIEW.
    action = Action.VIEW if inline else Action.DOWNLOAD
    audit.record(request, action, subject=_subject(item.message.dialogue), obj=item, detail=detail)
    return encrypted_file_response(
        item, "file", filename=item.original_name, content_type=item.content_type, inline=inline
    )


@never_cache
@login_required
@require_GET
def attachment(request, dialogue_id, attachment_id):
    """The file as a download (``attachment``), so the dialogue page stays where it is."""
    item = access.get_attachment_for(request.user, dialogue_id, attachment_id)
    return _serve_attachment(request, item, inline=False)


@never_cache
@login_required
@require_GET
def attachment_preview(request, dialogue_id, attachment_id):
    """A safe image shown inside its message (``inline``); anything else has no preview."""
    item = access.get_attachment_for(request.user, dialogue_id, attachment_id)
    if not item.has_preview:
        raise Http404
    return _serve_attachment(request, item, inline=True, detail="preview")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def create_group(request):
    _require_coach(request.user)
    candidates = services.group_candidates(request.user)
    form = GroupForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            dialogue = services.create_group(
                request.user,
                title=form.cleaned_data["title"],
                members=list(form.cleaned_data["members"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit.record(request, Action.CREATE, obj=dialogue)
            messages.success(request, _("The group dialogue has been started."))
            return redirect(_detail_url(dialogue))
    return render(request, "dialogue/group_form.html", {"form": form})


def _participant_candidates(dialogue, coach):
    present = dialogue.participants.values("user_id")
    return services.group_candidates(coach).exclude(pk__in=present)


def _group_for(request, dialogue_id):
    dialogue = access.get_led_dialogue_for(request.user, dialogue_id)
    if not dialogue.is_group:
        raise Http404
    return dialogue


def _render_participants(request, dialogue, form):
    participants = list(dialogue.participants.select_related("user").order_by("joined_at", "pk"))
    context = {"dialogue": dialogue, "participants": participants, "form": form}
    return render(request, "dialogue/participants.html", context)


@never_cache
@login_required
@require_GET
def participants(request, dialogue_id):
    dialogue = _group_for(request, dialogue_id)
    candidates = _participant_candidates(dialogue, request.user)
    return _render_participants(request, dialogue, AddParticipantForm(candidates=candidates))


@never_cache
@login_required
@require_POST
def add_participant(request, dialogue_id):
    dialogue = _group_for(request, dialogue_id)
    candidates = _participant_candidates(dialogue, request.user)
    form = AddParticipantForm(request.POST, candidates=candidates)
    if form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.add_to_group(dialogue, request.user, member)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit.record(request, Action.CHANGE, obj=dialogue, detail="participant added")
            messages.success(request, _("The participant has been added."))
            return redirect("dialogue:participants", dialogue.pk)
    return _render_participants(request, dialogue, form)


@never_cache
@login_required
@require_POST
def remove_participant(request, dialogue_id, participant_id):
    participant = access.get_participant_for(request.user, dialogue_id, participant_id)
    dialogue = participant.dialogue
    if not dialogue.is_group:
        raise Http404
    try:
        services.remove_from_group(dialogue, participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dialogue:participants", dialogue.pk)
    audit.record(request, Action.CHANGE, obj=dialogue, detail="participant removed")
    messages.success(request, _("The participant has been removed."))
    if participant.user_id == request.user.pk:
        return redirect("dialogue:inbox")
    return redirect("dialogue:participants", dialogue.pk)
