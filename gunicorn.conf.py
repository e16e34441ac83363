"""gunicorn settings for production (read from the working directory by default)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers, one per core: measured to give the best p99 on these machines.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
# Long enough for a large attachment to stream to a slow client behind the proxy.
timeout = 300
accesslog = "-"
# The path only: query strings (search terms, e-mail addresses) never reach the logs.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
