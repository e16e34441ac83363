from django.core.files.base import ContentFile
from django.urls import reverse

from interventions import services
from interventions.models import AnswerFile
from pluform import dates
from tests.factories.interventions import assign, file_question, open_question, scale, template
from tests.matrix import NOT_ALLOWED, get_and_post

COACHES = ["coach", "other_coach", "stranger_coach"]
CONTENT_USERS = [*COACHES, "coachee", "stranger_coachee"]
BOTH = {"coach": 200, "coachee": 200}


def build(world):
    coach, trajectory = world["coach"], world["coachee"].trajectories.get()
    mine = template(coach, steps=[("Look back.", [open_question(), file_question()])])
    world["template"] = mine
    world["step_row"] = mine.steps.get()
    world["open_assignment"] = open_assignment = assign(mine, coach, trajectory)[0]
    done = assign(mine, coach, trajectory)[0]
    services.submit(done)
    world["submitted_assignment"] = done
    item = AnswerFile(
        assignment=open_assignment,
        question_key=world["step_row"].questions.last().pk,
        original_name="drawing.txt",
        content_type="text/plain",
        kind="document",
        size=5,
    )
    item.file.save("drawing.txt", ContentFile(b"lines"), save=True)
    world["answer_file"] = item
    checkin = template(coach, "Check-in", steps=[("How was it?", [scale(required=False)])])
    world["series"] = assign(checkin, coach, trajectory, every_days=7, until_in=21)[0].series


def _url(name, key):
    return lambda w: reverse(name, args=[w[key].pk])


def _step_url(name):
    return lambda w: reverse(name, args=[w["template"].pk, w["step_row"].pk])


STEP_DATA = {"text": "Breathe.", "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0"}

ROWS = [
    *get_and_post(
        "interventions:index",
        lambda w: reverse("interventions:index"),
        get=dict.fromkeys(CONTENT_USERS, 200),
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "interventions:library",
        lambda w: reverse("interventions:library"),
        get=dict.fromkeys(COACHES, 200),
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "interventions:template_create",
        lambda w: reverse("interventions:template_create"),
        get=dict.fromkeys(COACHES, 200),
        post=dict.fromkeys(COACHES, 302),
        data=lambda w: {"title": "Breathing"},
    ),
    *get_and_post(
        "interventions:template",
        _url("interventions:template", "template"),
        get={"coach": 200},
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "interventions:template_edit",
        _url("interventions:template_edit", "template"),
        get={"coach": 200},
        post={"coach": 302},
        data=lambda w: {"title": "Renamed"},
    ),
    *get_and_post(
        "interventions:template_copy",
        _url("interventions:template_copy", "template"),
        get=NOT_ALLOWED,
        post={"coach": 302},
    ),
    *get_and_post(
        "interventions:template_archive",
        _url("interventions:template_archive", "template"),
        get=NOT_ALLOWED,
        post={"coach": 302},
    ),
    *get_and_post(
        "interventions:template_assign",
        _url("interventions:template_assign", "template"),
        get={"coach": 200},
        post={"coach": 302},
        data=lambda w: {
            "trajectories": [str(w["coachee"].trajectories.get().pk)],
            "starts_on": dates.today().isoformat(),
            "repeat": "once",
        },
    ),
    *get_and_post(
        "interventions:step_create",
        _url("interventions:step_create", "template"),
        get={"coach": 200},
        post={"coach": 302},
        data=lambda w: STEP_DATA,
    ),
    *get_and_post(
        "interventions:step_edit",
        _step_url("interventions:step_edit"),
        get={"coach": 200},
        post={"coach": 302},
        data=lambda w: STEP_DATA,
    ),
    *get_and_post(
        "interventions:step_move",
        _step_url("interventions:step_move"),
        get=NOT_ALLOWED,
        post={"coach": 302},
        data=lambda w: {"direction": "up"},
    ),
    *get_and_post(
        "interventions:step_delete",
        _step_url("interventions:step_delete"),
        get=NOT_ALLOWED,
        post={"coach": 302},
    ),
    *get_and_post(
        "interventions:assignment",
        _url("interventions:assignment", "open_assignment"),
        get=BOTH,
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "interventions:step",
        lambda w: reverse("interventions:step", args=[w["open_assignment"].pk, w["step_row"].pk]),
        get={"coachee": 200},
        post={"coachee": 302},
        data=lambda w: {"revision": "0", f"q_{w['step_row'].questions.first().pk}": "Fine"},
    ),
    *get_and_post(
        "interventions:submit",
        _url("interventions:submit", "open_assignment"),
        get=NOT_ALLOWED,
        post={"coachee": 302},
    ),
    *get_and_post(
        "interventions:feedback",
        _url("interventions:feedback", "submitted_assignment"),
        get=NOT_ALLOWED,
        post={"coach": 302},
        data=lambda w: {"overall": "Well done", "reviewed": "1"},
    ),
    *get_and_post(
        "interventions:reopen",
        _url("interventions:reopen", "submitted_assignment"),
        get=NOT_ALLOWED,
        post={"coach": 302},
        data=lambda w: {"note": "Look at step 1 again"},
    ),
    *get_and_post(
        "interventions:answer_file",
        lambda w: reverse(
            "interventions:answer_file", args=[w["open_assignment"].pk, w["answer_file"].pk]
        ),
        get=BOTH,
        post=NOT_ALLOWED,
    ),
    *get_and_post(
        "interventions:series",
        _url("interventions:series", "series"),
        get=BOTH,
        post=NOT_ALLOWED,
    ),
]
