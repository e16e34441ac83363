from celery.signals import task_postrun, task_prerun

from pluform.crypto import datakeys


@task_prerun.connect
def _fresh_keys_before_task(**kwargs):
    datakeys.reset_cache()


@task_postrun.connect
def _forget_keys_after_task(**kwargs):
    datakeys.reset_cache()
