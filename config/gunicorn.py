"""Gunicorn settings, read from the environment so one image fits every host size."""

import os

# Inside a container the port must be reachable from outside it; GUNICORN_BIND narrows it elsewhere.
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# cpu_count() sees the host's CPUs, not the container's quota, so the default stays modest.
workers = int(os.environ.get("GUNICORN_WORKERS", os.environ.get("WEB_CONCURRENCY", "2")))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# No recycling by default: each worker's boot costs about 1.6 CPU-seconds, which at 1,000 requests
# a worker was 10-15% of the serving time. A host that needs it against a leak sets both.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "0"))

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The heartbeat file on a disk-backed overlay filesystem can stall workers; /dev/shm is memory.
SHARED_MEMORY = "/dev/shm"  # noqa: S108 - only gunicorn's heartbeat files, never data
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None
# Operated by signals and the orchestrator; the control socket would need a writable home.
control_socket_disable = True
