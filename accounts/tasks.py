from celery import shared_task

from accounts import retention


@shared_task(name="accounts.purge_login_attempts", ignore_result=True)
def purge_login_attempts():
    retention.purge_login_attempts()
