"""Who may see which template and assignment: the only code that grants, revokes and loads.

Templates belong to an organisation's library: a coach sees their own, those their
colleagues share and the starter set, and changes only their own. Assignments are
django-guardian object permissions in a direct foreign-key table: the coachee may work on
their own, each coach of the trajectory may review it. Everyone else gets a 404.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from guardian.shortcuts import assign_perm, remove_perm

from accounts.roles import Role
from interventions.models import AnswerFile, Assignment, Series, Step, Template
from pluform import dates
from privacy import consent

WORK = "work_on_assignment"
REVIEW = "review_assignment"


class NotAContentRole(ValueError):
    """Raised when code tries to let a role that never sees content reach an assignment."""


def _check(user, role):
    if user.role != role:
        raise NotAContentRole(f"user {user.pk} has role {user.role}")


# Granting and revoking


def grant_assignment(assignment: Assignment, coaches) -> None:
    """The coachee works on it; the trajectory's coaches review it."""
    _check(assignment.coachee, Role.COACHEE)
    assign_perm(WORK, assignment.coachee, assignment)
    for coach in coaches:
        _check(coach, Role.COACH)
        if consent.scope(assignment.trajectory, coach).interventions:
            assign_perm(REVIEW, coach, assignment)


def grant_trajectory_to_coach(trajectory, coach) -> None:
    """What the coachee's consent allows: nothing, the assignments from the consent on, or all."""
    _check(coach, Role.COACH)
    scope = consent.scope(trajectory, coach)
    if not scope.interventions:
        return
    assignments = Assignment.objects.filter(trajectory=trajectory)
    if scope.history_from is not None:
        assignments = assignments.filter(created_at__gte=scope.history_from)
    if assignments.exists():
        assign_perm(REVIEW, coach, assignments)


def revoke_trajectory_from_coach(trajectory, coach) -> None:
    assignments = Assignment.objects.filter(trajectory=trajectory)
    if assignments.exists():
        remove_perm(REVIEW, coach, assignments)


# Templates


def templates_for(user):
    """The templates a coach may read: their own, shared ones and the starter set."""
    if not user.is_authenticated or user.role != Role.COACH or not user.organisation_id:
        return Template.objects.none()
    return Template.objects.filter(organisation_id=user.organisation_id).filter(
        Q(owner=user) | Q(shared=True) | (Q(owner__isnull=True) & ~Q(starter=""))
    )


def get_template_for(user, template_id) -> Template:
    template = get_object_or_404(templates_for(user).select_related("owner"), pk=template_id)
    template.may_edit = template.owner_id == user.pk
    return template


def get_own_template_for(user, template_id) -> Template:
    template = get_template_for(user, template_id)
    if not template.may_edit:
        raise Http404
    return template


def get_own_step_for(user, template_id, step_id) -> Step:
    """A step (with its questions) of a template this coach may change, or a 404."""
    template = get_own_template_for(user, template_id)
    step = get_object_or_404(template.steps.prefetch_related("questions"), pk=step_id)
    step.template = template
    for question in step.questions.all():
        question.step = step
    return step


# Assignments


def _granted(user, codename):
    return Assignment.objects.filter(grants__user=user, grants__permission__codename=codename)


def assignments_for(user):
    """A coachee's own assignments once available; a coach's coachees' assignments."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    if user.role == Role.COACHEE:
        return _granted(user, WORK).filter(available_on__lte=dates.today())
    if user.role == Role.COACH:
        return _granted(user, REVIEW)
    return Assignment.objects.none()


def get_assignment_for(user, assignment_id, *, role=None) -> Assignment:
    """The assignment with ``viewer_is_coach`` set, or a 404; with ``role``, only for a user
    of that role (the coachee fills in, a coach reviews)."""
    if role is not None and user.role != role:
        raise Http404
    queryset = assignments_for(user).select_related(
        "version", "trajectory", "coachee", "assigned_by"
    )
    assignment = get_object_or_404(queryset, pk=assignment_id)
    assignment.viewer_is_coach = user.role == Role.COACH
    return assignment


def get_series_for(user, series_id) -> Series:
    series = get_object_or_404(
        Series.objects.select_related("version", "trajectory__coachee"), pk=series_id
    )
    if not assignments_for(user).filter(series=series).exists():
        raise Http404
    return series


def get_file_for(user, assignment_id, file_id) -> AnswerFile:
    assignment = get_assignment_for(user, assignment_id)
    item = get_object_or_404(AnswerFile.objects.filter(assignment=assignment), pk=file_id)
    item.assignment = assignment
    return item
