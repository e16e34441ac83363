from celery import shared_task

from interventions import services


@shared_task(name="interventions.send_daily_notices", ignore_result=True)
def send_daily_notices():
    services.send_daily_notices()
