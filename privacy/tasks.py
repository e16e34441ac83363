from celery import shared_task

from privacy.audit_chain import sequence_pending


@shared_task(name="privacy.sequence_audit", ignore_result=True)
def sequence_audit():
    sequence_pending()
