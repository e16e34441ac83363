from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role
from interventions import access, library, queries, services, starter
from interventions.forms import (
    AssignForm,
    FeedbackForm,
    QuestionFormSet,
    ReopenForm,
    ReviewFilterForm,
    StepAnswerForm,
    StepForm,
    TemplateForm,
    question_initial,
)
from pluform.crypto.streaming import encrypted_file_response
from pluform.forms import add_errors
from privacy import audit
from privacy.audit import Action


def _require(user, role):
    if user.role != role:
        raise Http404


# Lists


@never_cache
@login_required
@require_GET
def index(request):
    if request.user.role == Role.COACH:
        return _review_list(request)
    if request.user.role == Role.COACHEE:
        return _coachee_list(request)
    raise Http404


def _review_list(request):
    coach = request.user
    form = ReviewFilterForm(request.GET or None, coachees=queries.review_coachees(coach))
    coachee = form.cleaned_data["coachee"] if form.is_valid() else None
    state = request.GET.get("state", queries.State.OPEN)
    labels = queries.state_labels()
    if state not in labels:
        state = queries.State.OPEN
    page = Paginator(
        queries.review_list(coach, coachee=coachee, state=state), queries.PER_PAGE
    ).get_page(request.GET.get("page"))
    queries.decorate(page.object_list, show_coachee=coachee is None)
    counts = queries.state_counts(coach, coachee=coachee)
    coachee_query = f"coachee={coachee.uuid}&" if coachee else ""
    tabs = [
        (name, label, counts[name], f"?{coachee_query}state={name}", name == state)
        for name, label in labels.items()
    ]
    context = {
        "page": page,
        "form": form,
        "coachee": coachee,
        "tabs": tabs,
        "state_label": labels[state],
        "page_query": f"&{coachee_query}state={state}",
    }
    return render(request, "interventions/review_list.html", context)


def _coachee_list(request):
    open_items = list(queries.coachee_open(request.user))
    queries.decorate(open_items, show_coachee=False)
    page = Paginator(queries.coachee_finished(request.user), queries.PER_PAGE).get_page(
        request.GET.get("page")
    )
    queries.decorate(page.object_list, show_coachee=False)
    context = {"open_items": open_items, "page": page}
    return render(request, "interventions/coachee_list.html", context)


# The template library


@never_cache
@login_required
@require_GET
def library_index(request):
    coach = request.user
    _require(coach, Role.COACH)
    starter.ensure(coach.organisation_id)
    archived = request.GET.get("archived") == "1"
    own, colleagues, starters = queries.library(coach, archived=archived, language=get_language())
    context = {"own": own, "colleagues": colleagues, "starters": starters, "archived": archived}
    return render(request, "interventions/library.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def template_create(request):
    _require(request.user, Role.COACH)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        template = library.create_template(request.user, **form.cleaned_data)
        messages.success(request, _("The intervention has been created. Now add its steps."))
        return redirect("interventions:step_create", template.pk)
    return render(request, "interventions/template_form.html", {"form": form, "template": None})


@never_cache
@login_required
@require_GET
def template_detail(request, template_id):
    template = access.get_template_for(request.user, template_id)
    steps = library.steps_of(template)
    context = {
        "template": template,
        "steps": steps,
        "problems": library.problems(template, steps),
    }
    return render(request, "interventions/template_detail.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, template_id):
    template = access.get_own_template_for(request.user, template_id)
    initial = {
        "title": template.title,
        "introduction": template.introduction,
        "shared": template.shared,
    }
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        library.update_template(template, **form.cleaned_data)
        messages.success(request, _("Your changes have been saved."))
        return redirect("interventions:template", template.pk)
    return render(request, "interventions/template_form.html", {"form": form, "template": template})


def _step_page(request, template, step):
    is_new = step._state.adding
    initial_questions = [] if is_new else question_initial(step)
    form = StepForm(request.POST or None, initial={"text": "" if is_new else step.text})
    formset = QuestionFormSet(request.POST or None, initial=initial_questions, prefix="questions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            library.save_step(step, form.cleaned_data["text"], formset.questions())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The step has been saved."))
            if "add_question" in request.POST:
                return redirect("interventions:step_edit", template.pk, step.pk)
            return redirect("interventions:template", template.pk)
    context = {"template": template, "step": None if is_new else step, "form": form}
    context["formset"] = formset
    return render(request, "interventions/step_form.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def step_create(request, template_id):
    template = access.get_own_template_for(request.user, template_id)
    return _step_page(request, template, library.add_step(template))


def _own_step(request, template_id, step_id):
    step = access.get_own_step_for(request.user, template_id, step_id)
    return step.template, step


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, template_id, step_id):
    template, step = _own_step(request, template_id, step_id)
    return _step_page(request, template, step)


@never_cache
@login_required
@require_POST
def step_move(request, template_id, step_id):
    template, step = _own_step(request, template_id, step_id)
    library.move_step(step, -1 if request.POST.get("direction") == "up" else 1)
    return redirect(reverse("interventions:template", args=[template.pk]) + f"#step-{step.pk}")


@never_cache
@login_required
@require_POST
def step_delete(request, template_id, step_id):
    template, step = _own_step(request, template_id, step_id)
    library.delete_step(step)
    messages.success(request, _("The step has been deleted."))
    return redirect("interventions:template", template.pk)


@never_cache
@login_required
@require_POST
def template_copy(request, template_id):
    template = access.get_template_for(request.user, template_id)
    copy = library.copy_template(template, request.user)
    messages.success(request, _("This is your copy: you can change it as you like."))
    return redirect("interventions:template", copy.pk)


@never_cache
@login_required
@require_POST
def template_archive(request, template_id):
    template = access.get_own_template_for(request.user, template_id)
    archive = template.archived_at is None
    library.set_archived(template, archive)
    if archive:
        messages.success(
            request,
            _("The intervention has been archived. What you assigned stays with your coachees."),
        )
    else:
        messages.success(request, _("The intervention is back in your library."))
    return redirect("interventions:template", template.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def template_assign(request, template_id):
    template = access.get_template_for(request.user, template_id)
    if template.archived_at:
        raise Http404
    trajectories = services.coachable_trajectories(request.user)
    form = AssignForm(request.POST or None, trajectories=trajectories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.assign(
                template,
                request.user,
                list(data["trajectories"]),
                plan=data["plan"],
                message=data["message"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            for assignment in created:
                audit.record(request, Action.CREATE, subject=assignment.coachee, obj=assignment)
            messages.success(
                request,
                ngettext(
                    "Assigned: %(count)d assignment in all.",
                    "Assigned: %(count)d assignments in all.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("interventions:index")
    steps = library.steps_of(template)
    context = {"template": template, "form": form, "problems": library.problems(template, steps)}
    return render(request, "interventions/assign.html", context)


# One assignment


def _render_assignment(request, assignment, *, feedback_form=None, reopen_form=None, errors=()):
    steps = queries.assignment_steps(assignment)
    audit.record(request, Action.VIEW, subject=assignment.coachee, obj=assignment)
    context = {
        "assignment": assignment,
        "content": assignment.version.parsed,
        "steps": steps,
        "blocker": services.blocker(assignment),
        "submit_errors": errors,
    }
    if assignment.viewer_is_coach:
        initial = {"overall": assignment.feedback}
        initial.update({f"step_{step.key}": step.feedback for step in steps})
        context["feedback_form"] = feedback_form or FeedbackForm(
            steps=assignment.version.parsed.steps, initial=initial
        )
        context["feedback_fields"] = [context["feedback_form"][f"step_{s.key}"] for s in steps]
        context["reopen_form"] = reopen_form or ReopenForm()
    return render(request, "interventions/assignment.html", context)


@never_cache
@login_required
@require_GET
def assignment_detail(request, assignment_id):
    assignment = access.get_assignment_for(request.user, assignment_id)
    return _render_assignment(request, assignment)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def step(request, assignment_id, step_key):
    assignment = access.get_assignment_for(request.user, assignment_id, role=Role.COACHEE)
    content = assignment.version.parsed
    number = content.number_of(str(step_key))
    if number is None:
        raise Http404
    step_content = content.step(number)
    answers = services.answers_by_step(assignment)
    files = services.files_by_id(assignment)
    answer = answers.get(step_content.key)
    stored = answer.value_map if answer else {}
    revision = answer.revision if answer else 0
    blocker = services.blocker(assignment)
    editable = assignment.is_open and blocker is None
    form = StepAnswerForm(
        request.POST or None,
        request.FILES or None,
        step=step_content,
        stored=stored,
        files_by_id=files,
        revision=revision,
    )
    changed_elsewhere = None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_step(
                    assignment,
                    step_content,
                    form.values(),
                    form.uploads(),
                    form.cleaned_data["revision"],
                )
            except services.StepChanged as changed:
                changed_elsewhere = changed.answer
                data = request.POST.copy()
                data["revision"] = changed.answer.revision
                form = StepAnswerForm(
                    data,
                    step=step_content,
                    stored=changed.answer.value_map,
                    files_by_id=files,
                    revision=changed.answer.revision,
                )
                form.is_valid()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                audit.record(request, Action.CHANGE, subject=assignment.coachee, obj=assignment)
                return _after_save(request, assignment, content, number)
    else:
        audit.record(request, Action.VIEW, subject=assignment.coachee, obj=assignment)
    context = {
        "assignment": assignment,
        "content": content,
        "step": step_content,
        "number": number,
        "count": len(content.steps),
        "form": form,
        "editable": editable,
        "changed_elsewhere": changed_elsewhere,
        "blocker": blocker,
    }
    return render(request, "interventions/step.html", context)


def _after_save(request, assignment, content, number):
    messages.success(request, _("Step %(number)d has been saved.") % {"number": number})
    if "previous" in request.POST and number > 1:
        number -= 1
    elif "next" in request.POST and number < len(content.steps):
        number += 1
    elif "stay" not in request.POST:
        return redirect("interventions:assignment", assignment.pk)
    return redirect("interventions:step", assignment.pk, content.step(number).key)


@never_cache
@login_required
@require_POST
def submit(request, assignment_id):
    assignment = access.get_assignment_for(request.user, assignment_id, role=Role.COACHEE)
    try:
        services.submit(assignment)
    except ValidationError as error:
        return _render_assignment(request, assignment, errors=error.messages)
    audit.record(
        request, Action.CHANGE, subject=assignment.coachee, obj=assignment, detail="submitted"
    )
    messages.success(request, _("Submitted. Your coach will read it."))
    return redirect("interventions:assignment", assignment.pk)


@never_cache
@login_required
@require_POST
def feedback(request, assignment_id):
    assignment = access.get_assignment_for(request.user, assignment_id, role=Role.COACH)
    form = FeedbackForm(request.POST, steps=assignment.version.parsed.steps)
    if form.is_valid():
        try:
            services.save_feedback(
                assignment,
                overall=form.cleaned_data["overall"],
                per_step=form.per_step(),
                reviewed="reviewed" in request.POST,
                by=request.user,
            )
        except ValidationError as error:
            # Shown at the top: the feedback form itself may not be on the page any more.
            return _render_assignment(
                request, assignment, feedback_form=form, errors=error.messages
            )
        else:
            detail = "reviewed" if "reviewed" in request.POST else "feedback"
            audit.record(
                request, Action.CHANGE, subject=assignment.coachee, obj=assignment, detail=detail
            )
            messages.success(request, _("Your feedback has been saved."))
            return redirect("interventions:assignment", assignment.pk)
    return _render_assignment(request, assignment, feedback_form=form)


@never_cache
@login_required
@require_POST
def reopen(request, assignment_id):
    assignment = access.get_assignment_for(request.user, assignment_id, role=Role.COACH)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen(assignment, form.cleaned_data["note"])
        except ValidationError as error:
            return _render_assignment(request, assignment, reopen_form=form, errors=error.messages)
        else:
            audit.record(
                request,
                Action.CHANGE,
                subject=assignment.coachee,
                obj=assignment,
                detail="reopened",
            )
            messages.success(request, _("The intervention is open again for your coachee."))
            return redirect("interventions:assignment", assignment.pk)
    return _render_assignment(request, assignment, reopen_form=form)


@never_cache
@login_required
@require_GET
def answer_file(request, assignment_id, file_id):
    item = access.get_file_for(request.user, assignment_id, file_id)
    inline = request.GET.get("preview") == "1" and item.has_preview
    action = Action.VIEW if inline else Action.DOWNLOAD
    audit.record(request, action, subject=item.assignment.coachee, obj=item)
    return encrypted_file_response(
        item, "file", filename=item.original_name, content_type=item.content_type, inline=inline
    )


@never_cache
@login_required
@require_GET
def series(request, series_id):
    found = access.get_series_for(request.user, series_id)
    assignments = list(queries.series_occurrences(request.user, found))
    queries.decorate(assignments, show_coachee=False)
    charts = queries.series_charts(found, assignments)
    audit.record(request, Action.VIEW, subject=found.trajectory.coachee, obj=found)
    context = {"series": found, "assignments": assignments, "charts": charts}
    return render(request, "interventions/series.html", context)
