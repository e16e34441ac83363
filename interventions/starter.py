"""The starter set: interventions written for Pluform, in Dutch and English, that every
organisation's library holds. Installed on first use of the library (and by seed_demo)."""

import logging

from django.db import IntegrityError, transaction

from interventions.models import Question, Step, Template
from interventions.starter_content import STARTER_SET

logger = logging.getLogger(__name__)


def ensure(organisation_id) -> None:
    """Adds the starter templates the organisation does not hold yet."""
    present = set(
        Template.objects.filter(organisation_id=organisation_id)
        .exclude(starter="")
        .values_list("starter", "language")
    )
    for item in STARTER_SET:
        if (item["key"], item["language"]) not in present:
            try:
                with transaction.atomic():
                    _install(organisation_id, item)
            except IntegrityError:  # another request installed it at the same moment
                pass


def _install(organisation_id, item) -> None:
    template = Template.objects.create(
        organisation_id=organisation_id,
        owner=None,
        starter=item["key"],
        language=item["language"],
        title=item["title"],
        introduction=item["introduction"],
    )
    for position, step_data in enumerate(item["steps"], start=1):
        step = Step.objects.create(template=template, position=position, text=step_data["text"])
        Question.objects.bulk_create(
            [
                Question(step=step, position=number, **question)
                for number, question in enumerate(step_data.get("questions", []), start=1)
            ]
        )
    logger.info("starter template %s installed in organisation %s", item["key"], organisation_id)
