from celery import shared_task

from dialogue import notifications


@shared_task(name="dialogue.notify_participant", ignore_result=True)
def notify_participant(participant_id):
    notifications.send_notification(participant_id)


@shared_task(name="dialogue.queue_daily_digests", ignore_result=True)
def queue_daily_digests():
    for user_id in notifications.daily_digest_recipients():
        send_daily_digest.apply_async(args=[user_id])


@shared_task(name="dialogue.send_daily_digest", ignore_result=True)
def send_daily_digest(user_id):
    notifications.send_daily_digest(user_id)
