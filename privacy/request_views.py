from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from pluform import dates
from pluform.crypto.streaming import encrypted_file_response
from pluform.forms import add_errors
from privacy import access, audit, queues, requests
from privacy.audit import Action
from privacy.forms import (
    AnswerForm,
    ExecuteForm,
    ExtendForm,
    FileRequestForm,
    ForwardForm,
    LiftForm,
    PassOnForm,
    QuestionForm,
    QueueFilterForm,
)
from privacy.request_models import AccessArchive, ArchiveDownload, Kind, Status

PER_PAGE = 50


@never_cache
@login_required
@require_GET
def index(request):
    """A subject's own requests (and, for a coach, their coachees'); Pluform's queue."""
    user = request.user
    if access.is_handler(user):
        return _queue(request)
    if not access.may_file(user):
        raise Http404
    today = dates.today()
    context = {
        "held": queues.held(user, today)[0],
        "own": queues.decorated(access.requests_for(user).filter(subject=user), today),
        "coachees": queues.decorated(
            access.requests_for(user).filter(coach=user).exclude(status=Status.WITH_COACH),
            today,
        )
        if user.role == Role.COACH
        else [],
    }
    return render(request, "privacy/requests.html", context)


def _queue(request):
    form = QueueFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    today = dates.today()
    rows = queues.filtered(access.requests_for(request.user), filters, today)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = queues.decorated(page.object_list, today)
    held, held_count = queues.held(request.user, today)
    context = {
        "form": form,
        "page": page,
        "held": held,
        "held_count": held_count,
        "overdue_count": access.requests_for(request.user).overdue(today).count(),
        "page_query": queues.query_string(request.GET),
    }
    return render(request, "privacy/queue.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    user = request.user
    if not access.may_file(user):
        raise Http404
    coaches = requests.coaches_of(user) if user.role == Role.COACHEE else None
    form = FileRequestForm(
        request.POST or None,
        grounds=requests.allowed_grounds(user),
        coaches=coaches if coaches is not None and coaches.count() > 1 else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            data_request = requests.file(
                user,
                kind=form.cleaned_data["kind"],
                motivation=form.cleaned_data["motivation"],
                ground=form.cleaned_data["ground"],
                coach=form.cleaned_data.get("coach"),
                http_request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your request has been filed."))
            return redirect("privacy:request", data_request.uuid)
    context = {"form": form, "to_coach": bool(coaches)}
    return render(request, "privacy/request_new.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_GET
def detail(request, request_id):
    data_request = access.get_request_for(request.user, request_id)
    if data_request.subject_id != request.user.pk:
        audit.record(request, Action.VIEW, subject=data_request.subject, obj=data_request)
    return _detail(request, data_request)


def _detail(request, data_request, bound=None, status=200):
    user = request.user
    today = dates.today()
    holds = access.holds(user, data_request)
    step_forms = {
        "question": QuestionForm,
        "forward": ForwardForm,
        "answer": AnswerForm,
        "pass_on": PassOnForm,
        "extend": ExtendForm,
        "execute": ExecuteForm,
        "lift": LiftForm,
    }
    forms = {name: form(data_request=data_request) for name, form in step_forms.items()}
    if bound:
        forms.update(bound)
    archives = list(data_request.archives.prefetch_related("recipients"))
    for archive in archives:
        archive.mine = any(person.pk == user.pk for person in archive.recipients.all())
        archive.open = archive.is_downloadable(timezone.now())
    context = {
        "data_request": data_request,
        "steps": data_request.steps.select_related("actor"),
        "holds": holds,
        "is_subject": data_request.subject_id == user.pk,
        "overdue": data_request.is_overdue(today),
        "may_extend": requests.may_extend(user, data_request, today),
        "may_announce_lift": requests.may_announce_lift(user, data_request),
        "may_lift": requests.may_lift(user, data_request),
        "archives": archives,
        "forms": forms,
        "Status": Status,
        "Kind": Kind,
    }
    return render(request, "privacy/request.html", context, status=status)


def _act(request, request_id, form_class, name, action, done):
    """Runs one step on a request the user may see; a refused step re-renders the page."""
    data_request = access.get_request_for(request.user, request_id)
    form = form_class(request.POST, data_request=data_request)
    if form.is_valid():
        try:
            action(data_request, form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            if not hasattr(error, "error_dict"):
                # Also above the page: the step's form may not be shown to this user.
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
            return redirect("privacy:request", data_request.uuid)
    return _detail(request, data_request, bound={name: form}, status=400)


def _step_view(form_class, name, done, call):
    @never_cache
    @login_required
    @require_POST
    def view(request, request_id):
        def action(data_request, data):
            call(data_request, request.user, data, request)

        return _act(request, request_id, form_class, name, action, done)

    return view


ask = _step_view(
    QuestionForm,
    "question",
    gettext_lazy("Your question has been sent to the coachee."),
    lambda r, user, data, http: requests.ask_clarification(
        r, user, data["question"], http_request=http
    ),
)
answer = _step_view(
    AnswerForm,
    "answer",
    gettext_lazy("Your answer has been sent to your coach."),
    lambda r, user, data, http: requests.clarify(r, user, data["answer"], http_request=http),
)
forward = _step_view(
    ForwardForm,
    "forward",
    gettext_lazy("The request has been forwarded to Pluform."),
    lambda r, user, data, http: requests.forward(
        r,
        user,
        advice=data["advice"],
        inspect_together=data.get("inspect_together", False),
        http_request=http,
    ),
)
pass_on = _step_view(
    PassOnForm,
    "pass_on",
    gettext_lazy("The request has been passed on to the IT administrator."),
    lambda r, user, data, http: requests.pass_on(r, user, note=data["note"], http_request=http),
)
extend = _step_view(
    ExtendForm,
    "extend",
    gettext_lazy("The due date has been extended and the subject told."),
    lambda r, user, data, http: requests.extend(
        r, user, until=data["until"], reason=data["reason"], http_request=http
    ),
)
execute = _step_view(
    ExecuteForm,
    "execute",
    gettext_lazy("The request has been carried out."),
    lambda r, user, data, http: requests.execute(
        r, user, note=data["note"], decision=data.get("decision", ""), http_request=http
    ),
)
announce_lift = _step_view(
    LiftForm,
    "lift",
    gettext_lazy("The subject has been told that the restriction will be lifted."),
    lambda r, user, data, http: requests.announce_lift(
        r, user, reason=data["reason"], http_request=http
    ),
)


def _plain_step(call, done):
    """A step without a form: on refusal the page says why and nothing changes."""

    @never_cache
    @login_required
    @require_POST
    def view(request, request_id):
        data_request = access.get_request_for(request.user, request_id)
        try:
            call(data_request, request.user, http_request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _detail(request, data_request, status=400)
        messages.success(request, done)
        return redirect("privacy:request", data_request.uuid)

    return view


lift = _plain_step(requests.lift, gettext_lazy("The restriction has been lifted."))
withdraw = _plain_step(requests.withdraw, gettext_lazy("Your request has been withdrawn."))


@never_cache
@login_required
@require_GET
@reauthentication_required(enabled=access.is_own_export)
def archive(request, archive_id):
    """The copy of someone's data, for its recipients only, for 7 days; every use recorded.
    A portability export (privacy.export) asks for the password again first."""
    copy = access.get_archive_for(request.user, archive_id)
    ArchiveDownload.objects.create(archive=copy, user=request.user)
    if copy.purpose == AccessArchive.Purpose.PORTABILITY:
        audit.record(request, Action.EXPORT, subject=copy.subject, obj=copy, detail="portability")
        made_on = timezone.localdate(copy.ready_at)
        name = f"pluform-export-{made_on:%Y-%m-%d}.zip"
    else:
        audit.record(request, Action.DOWNLOAD, subject=copy.subject, obj=copy, detail="access copy")
        name = f"pluform-copy-{copy.request.received_on:%Y-%m-%d}.zip"
    requests.record_download(copy, request.user, http_request=request)
    return encrypted_file_response(
        copy, "file", filename=name, content_type="application/zip", request=request
    )
