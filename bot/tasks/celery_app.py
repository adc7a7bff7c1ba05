"""The Celery application: broker, queue and the delivery guarantees every process agrees on.

Redis (REDIS_URL) is the default broker; RabbitMQ works by setting BROKER_URL=amqp://... No
result backend: a job's result is its Slack post.
"""

from __future__ import annotations

from celery import Celery

from bot.config import Settings, crontab_schedule
from bot.slack import ids

JOB_TASK = "policybot.job"  # one task: `bot.slack.jobs.run_job(name, payload)`
PUBLISH_CONNECTIONS = 20  # broker connections a web tier publishes on at once (a burst of Slack events); more wait
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2, "interval_max": 0.3}  # then a 500 to Slack


def create_celery(settings: Settings) -> Celery:
    """A Celery app for `settings` (connects lazily: building it touches no broker).

    Late acks with `reject_on_worker_lost`: a job is removed from the broker only when a worker
    finished it, so a job held by a worker that dies is delivered to another one: at once when the
    worker process is lost or the broker sees its connection drop (RabbitMQ), else after
    TASK_VISIBILITY_TIMEOUT_S (Redis). Prefetch 1: a busy process does not sit on waiting jobs.
    """
    celery = Celery("policybot", broker=settings.broker, set_as_current=False)
    visibility = settings.task_visibility_timeout_s
    celery.conf.update(
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_default_queue=settings.task_queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_publish_retry_policy=PUBLISH_RETRY,
        broker_pool_limit=PUBLISH_CONNECTIONS,
        broker_connection_timeout=2,
        broker_connection_retry_on_startup=True,
        # Redis: unacked jobs come back after `visibility_timeout`; sweep for them every
        # visibility/10 s (kombu's default sweep is 100 s, longer than short timeouts)
        broker_transport_options={
            "visibility_timeout": visibility,
            "unacked_restore_interval": max(1, min(10, visibility // 10)),
            "unacked_restore_throttle": 1,
        },
        worker_proc_alive_timeout=120,  # a worker process loads the model before it reports ready
        worker_hijack_root_logger=False,
    )
    if settings.gap_digest_schedule:  # sent by Celery beat: the worker node started with --beat
        celery.conf.beat_schedule = {
            "knowledge-gap-digest": {
                "task": JOB_TASK,
                "schedule": crontab_schedule(settings.gap_digest_schedule),
                "args": [ids.JOB_GAP_DIGEST, {"days": settings.gap_digest_days}],
            }
        }
    celery.conf.timezone = "UTC"
    return celery
