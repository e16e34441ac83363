"""gunicorn settings for production (read from the working directory by default)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers, one per core: measured to give the best p99 on these machines.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
# Long enough for a large attachment to stream to a slow client behind the proxy.
timeout = 300
# No access log of gunicorn's: it would write full IP addresses and the tokens in invitation
# and reset links. The app writes one scrubbed JSON line per request (pluform/logs.py).
accesslog = None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
