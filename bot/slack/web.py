"""The ASGI app `policybot serve` runs under uvicorn: Slack's endpoint, health check, metrics, /admin.

Bolt's Starlette `SlackRequestHandler.handle` calls the synchronous `App.dispatch` inside the
event loop, so one slow dispatch (Redis claim, a slash-command ack wait) would stall every other
request. We reuse the adapter's request/response converters and run dispatch in Starlette's
thread pool instead. `intake.check` turns away unsigned (401) or malformed (400) requests before
Bolt sees them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from typing import Protocol

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from bot.metrics import exposition
from bot.slack.app import SlackApp
from bot.slack.health import QueueChecks, health
from bot.slack.intake import Rejection, check
from bot.variants.assign import Variants
from bot.web.admin import create_admin_app

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
WARM_REQUESTS = 20  # a burst of simultaneous Slack events


def _ping(slack: SlackApp) -> None:
    try:
        slack.deps.stores.redis.ping()
    except Exception as exc:  # Redis down at startup: /healthz says so; nothing to warm
        log.warning("redis not reachable at startup: %s", exc)


def reject(request: Request, rejection: Rejection, size: int) -> Response:
    """Answer a refused request with its status and reason; one log line, no traceback."""
    client = request.client.host if request.client else "?"
    log.warning("rejected Slack request from %s: %d %s (%d bytes)", client, rejection.status, rejection.reason, size)
    return Response(rejection.reason, status_code=rejection.status, media_type="text/plain")


class QueueMonitor(QueueChecks, Protocol):
    def collect(self) -> Iterable[Metric]: ...


def create_web_app(slack: SlackApp, queue: QueueMonitor | None = None) -> Starlette:
    """Slack's endpoint, /healthz, /metrics and /admin; `queue`: the web tier's broker, workers and queue."""
    settings = slack.deps.settings
    secret = settings.slack_signing_secret or ""

    async def events(request: Request) -> Response:
        body = await request.body()
        if rejection := check(body, request.headers, secret):
            return reject(request, rejection, len(body))
        bolt_request = to_bolt_request(request, body)
        return to_starlette_response(await run_in_threadpool(slack.bolt.dispatch, bolt_request))

    async def metrics(request: Request) -> Response:
        text = await run_in_threadpool(exposition)  # every process's, in multiprocess mode: files to read
        if queue is not None:  # read per scrape (broker, Redis): a registry of its own, off the event loop
            registry = CollectorRegistry(auto_describe=False)
            registry.register(queue)
            text += await run_in_threadpool(generate_latest, registry)
        return Response(text, media_type=CONTENT_TYPE_LATEST)

    async def healthz(request: Request) -> JSONResponse:
        healthy, details = await run_in_threadpool(health, slack.deps, queue)
        return JSONResponse(details, status_code=200 if healthy else 503)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # a burst's worth of request threads and Redis connections before the first request: the
        # first burst of Slack events otherwise waits ~0.2 s for them (bench/queue_bench.py)
        await asyncio.gather(*(run_in_threadpool(_ping, slack) for _ in range(WARM_REQUESTS)))
        yield
        await run_in_threadpool(slack.shutdown)  # let answers in flight finish

    return Starlette(
        routes=[
            Route(EVENTS_PATH, events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            Mount("/admin", create_admin_app(settings, slack.deps.stores, variants=Variants(settings.variants_file))),
        ],
        lifespan=lifespan,
    )
