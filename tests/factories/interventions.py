"""Intervention templates built through the library, and assignments made by the service."""

import datetime

from interventions import library, services
from interventions.models import QuestionKind, Template
from pluform import dates


def scale(text="How are you today?", *, required=True, low=1, high=10):
    return {
        "kind": QuestionKind.SCALE,
        "text": text,
        "required": required,
        "scale_min": low,
        "scale_max": high,
        "min_label": "Bad",
        "max_label": "Great",
    }


def open_question(text="What went well?", *, required=False, long=True):
    kind = QuestionKind.LONG_TEXT if long else QuestionKind.SHORT_TEXT
    return {"kind": kind, "text": text, "required": required}


def choice(text="Pick one", options=("Yes", "No"), *, multiple=False, required=False):
    kind = QuestionKind.MULTIPLE_CHOICE if multiple else QuestionKind.SINGLE_CHOICE
    return {"kind": kind, "text": text, "required": required, "options": "\n".join(options)}


def file_question(text="Add a drawing", *, required=False):
    return {"kind": QuestionKind.FILE, "text": text, "required": required}


def date_question(text="When?", *, required=False):
    return {"kind": QuestionKind.DATE, "text": text, "required": required}


def template(coach, title="Weekly check-in", steps=None, *, shared=False) -> Template:
    """A template of ``coach``; ``steps`` is a list of (text, [question dicts])."""
    made = library.create_template(
        coach, title=title, introduction="Take ten minutes.", shared=shared
    )
    for text, questions in steps if steps is not None else [("Look back.", [scale()])]:
        step = library.add_step(made)
        step.template = made
        library.save_step(step, text, [dict(q) for q in questions])
    made.refresh_from_db()
    return made


def assign(template, coach, trajectory, *, due_in=None, every_days=None, until_in=None, message=""):
    today = dates.today()
    plan = services.Plan(
        starts_on=today,
        due_on=today + datetime.timedelta(days=due_in) if due_in is not None else None,
        every_days=every_days,
        until=today + datetime.timedelta(days=until_in) if until_in is not None else None,
    )
    return services.assign(template, coach, [trajectory], plan=plan, message=message)
