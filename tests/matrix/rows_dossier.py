"""The dossier: only a coach of the coachee's trajectory ever gets anything but a 404 (the list
of one's own coachees opens for every coach, empty or not). The coachee, organisation
managers and all staff get a 404 on every URL."""

from django.urls import reverse

from accounts.models import Trajectory
from pluform import dates
from tests.factories.accounts import TrajectoryFactory
from tests.factories.dossier import ended_trajectory, session_report
from tests.matrix import NOT_ALLOWED, Row, get_and_post

COACHES = ["coach", "other_coach", "stranger_coach"]


def build(world):
    coach = world["coach"]
    trajectory = Trajectory.objects.get(coachee=world["coachee"])
    world["dossier_trajectory"] = trajectory
    world["dossier_report"] = session_report(coach, trajectory)
    stranger_trajectory = Trajectory.objects.get(coachee=world["stranger_coachee"])
    world["dossier_stranger_report"] = session_report(world["stranger_coach"], stranger_trajectory)


def _coachee(name, key="coachee"):
    return lambda w: reverse(name, args=[w[key].pk])


def _report(name, key="dossier_report"):
    return lambda w: reverse(name, args=[w[key].pk])


def _fresh_report(name):
    """A new report for every request: a POST that deletes or edits it cannot make the next
    actor's 404 a matter of the report being gone or changed already."""
    return lambda w: reverse(name, args=[session_report(w["coach"], w["dossier_trajectory"]).pk])


def _fresh_trajectory(name, *, ended=False):
    """A new running (or just ended) trajectory of the coach and the coachee per request."""

    def url(w):
        made = TrajectoryFactory(coachee=w["coachee"], coaches=[w["coach"]])
        if ended:
            ended_trajectory(made, w["coach"])
        return reverse(name, args=[made.pk])

    return url


def _report_data(w):
    return {
        "held_on": dates.today().isoformat(),
        "minutes": 45,
        "kind": "phone",
        "report": "Kort telefonisch contact.",
        "agreements": "Volgende week weer.",
        "revision": 1,
    }


ROWS = [
    # Every coach has a list of their own coachees; nobody else has one.
    *get_and_post(
        "dossier:coachees",
        lambda w: reverse("dossier:coachees"),
        get=dict.fromkeys(COACHES, 200),
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "dossier:coachees",
        lambda w: reverse("dossier:coachees") + "?ended=1&q=Zwanenburg",
        get=dict.fromkeys(COACHES, 200),
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "dossier:coachee",
        _coachee("dossier:coachee"),
        get={"coach": 200},
        post=NOT_ALLOWED,
    ),
    # The mirror image: the stranger's own coachee opens for the stranger only.
    Row(
        "dossier:coachee",
        _coachee("dossier:coachee", "stranger_coachee"),
        expect={"stranger_coach": 200},
    ),
    # A coach's own id is no coachee of anyone.
    Row("dossier:coachee", _coachee("dossier:coachee", "coach")),
    *get_and_post(
        "dossier:report_add",
        _coachee("dossier:report_add"),
        get={"coach": 200},
        post={"coach": 302},
        data=_report_data,
    ),
    *get_and_post(
        "dossier:report",
        _report("dossier:report"),
        get={"coach": 200},
        post=NOT_ALLOWED,
    ),
    Row(
        "dossier:report",
        _report("dossier:report", "dossier_stranger_report"),
        expect={"stranger_coach": 200},
    ),
    *get_and_post(
        "dossier:report_edit",
        _fresh_report("dossier:report_edit"),
        get={"coach": 200},
        post={"coach": 302},
        data=_report_data,
    ),
    Row(
        "dossier:report_edit",
        _report("dossier:report_edit", "dossier_stranger_report"),
        expect={"stranger_coach": 200},
    ),
    *get_and_post(
        "dossier:report_delete",
        _fresh_report("dossier:report_delete"),
        get={"coach": 200},
        post={"coach": 302},
    ),
    *get_and_post(
        "dossier:end_trajectory",
        _fresh_trajectory("dossier:end_trajectory"),
        get={"coach": 200},
        post={"coach": 302},
        data=lambda w: {"ended_on": dates.today().isoformat(), "confirm": "on"},
    ),
    Row(
        "dossier:end_trajectory",
        lambda w: reverse(
            "dossier:end_trajectory",
            args=[Trajectory.objects.get(coachee=w["stranger_coachee"]).pk],
        ),
        expect={"stranger_coach": 200},
    ),
    *get_and_post(
        "dossier:undo_end",
        _fresh_trajectory("dossier:undo_end", ended=True),
        get=NOT_ALLOWED,
        post={"coach": 302},
    ),
]
