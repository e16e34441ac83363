from celery import shared_task

from pluform.notices import services


@shared_task(name="notices.deliver", ignore_result=True)
def deliver(notice_id):
    services.deliver(notice_id)


@shared_task(name="notices.queue_daily_digests", ignore_result=True)
def queue_daily_digests():
    for user_id in services.daily_digest_recipients():
        send_daily_digest.apply_async(args=[str(user_id)])


@shared_task(name="notices.send_daily_digest", ignore_result=True)
def send_daily_digest(user_id):
    services.send_daily_digest(user_id)
