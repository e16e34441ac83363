"""Demo interventions for ``manage.py seed_demo``: the starter set, a weekly check-in with a
few weeks of answers (so the chart has points), and a reflection waiting for review."""

import datetime
import json

from django.dispatch import receiver
from django.utils import timezone

from accounts.signals import demo_seeded
from interventions import access, library, starter
from interventions.models import Assignment, QuestionKind, Series, Status, StepAnswer, Template
from pluform import dates

CHECKIN_ANSWERS = [(6, 5, 4, 7), (5, 6, 6, 6), (7, 7, 6, 4)]


def _starter(organisation, key, language="nl") -> Template:
    return Template.objects.get(organisation=organisation, starter=key, language=language)


def _answer(assignment, version, values_for_scale, text="") -> None:
    for step in version.parsed.steps:
        values, points = {}, iter(values_for_scale)
        for question in step.questions:
            if question.kind == QuestionKind.SCALE:
                values[question.key] = next(points, question.scale_max)
            elif question.kind in (QuestionKind.LONG_TEXT, QuestionKind.SHORT_TEXT) and text:
                values[question.key] = text
        StepAnswer.objects.create(
            assignment=assignment,
            step_key=step.key,
            values=json.dumps(values, ensure_ascii=False),
            revision=1,
            saved_at=timezone.now(),
        )


def _assignment(trajectory, coach, version, opens_on, *, series=None, status=Status.ASSIGNED):
    assignment = Assignment.objects.create(
        trajectory=trajectory,
        coachee=trajectory.coachee,
        assigned_by=coach,
        version=version,
        series=series,
        available_on=opens_on,
        due_on=opens_on + datetime.timedelta(days=5),
        status=status,
    )
    access.grant_assignment(assignment, [coach])
    return assignment


@receiver(demo_seeded, dispatch_uid="interventions_demo")
def seed_demo_interventions(sender, organisation, users, **kwargs):
    starter.ensure(organisation.pk)
    coach, coachee = users["coach"], users["coachee_active"]
    trajectory = coachee.trajectories.first()
    if Assignment.objects.filter(trajectory=trajectory).exists():
        return
    today = dates.today()
    checkin = library.version_to_send(_starter(organisation, "wellbeing_checkin"), coach)
    series = Series.objects.create(
        trajectory=trajectory,
        version=checkin,
        every_days=7,
        starts_on=today - datetime.timedelta(days=21),
        until=today + datetime.timedelta(days=35),
    )
    for week in range(9):
        opens_on = series.starts_on + datetime.timedelta(days=7 * week)
        answered = week < len(CHECKIN_ANSWERS)
        status = Status.REVIEWED if week < 2 else Status.SUBMITTED if answered else Status.ASSIGNED
        assignment = _assignment(trajectory, coach, checkin, opens_on, series=series, status=status)
        if answered:
            _answer(assignment, checkin, CHECKIN_ANSWERS[week], "Het gaat langzaam beter.")
            Assignment.objects.filter(pk=assignment.pk).update(submitted_at=timezone.now())
    reflection = library.version_to_send(_starter(organisation, "weekly_reflection"), coach)
    done = _assignment(
        trajectory, coach, reflection, today - datetime.timedelta(days=4), status=Status.SUBMITTED
    )
    _answer(done, reflection, (7,), "Ik heb twee keer gewandeld in de pauze.")
    Assignment.objects.filter(pk=done.pk).update(submitted_at=timezone.now())
    goal = library.version_to_send(_starter(organisation, "goal_setting"), coach)
    _assignment(trajectory, coach, goal, today)
