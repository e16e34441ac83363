import os

from celery import Celery, signals

from pluform.logs import request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pluform.settings")

app = Celery("pluform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def _log_with_the_task_id(task_id=None, task=None, **kwargs):
    """A task's log lines carry its id as their request id (pluform/logs.py)."""
    task.request.pluform_log_token = request_id.set(task_id or "")


@signals.task_postrun.connect
def _stop_logging_the_task_id(task=None, **kwargs):
    token = getattr(task.request, "pluform_log_token", None)
    if token is not None:
        request_id.reset(token)
