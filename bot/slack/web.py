"""The ASGI app `policybot serve` runs under uvicorn: Slack's endpoint, health check, metrics.

Bolt's Starlette `SlackRequestHandler.handle` calls the synchronous `App.dispatch` inside the
event loop, so one slow dispatch (Redis claim, a slash-command ack wait) would stall every other
request. We reuse the adapter's request/response converters and run dispatch in Starlette's
thread pool instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from typing import Protocol

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.metrics_core import Metric
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.slack.app import SlackApp
from bot.slack.health import QueueChecks, health

EVENTS_PATH = "/slack/events"


class QueueMonitor(QueueChecks, Protocol):
    def collect(self) -> Iterable[Metric]: ...


def create_web_app(slack: SlackApp, queue: QueueMonitor | None = None) -> Starlette:
    """Slack's endpoint, /healthz and /metrics; `queue`: the web tier's broker, workers and queue."""

    async def events(request: Request) -> Response:
        bolt_request = to_bolt_request(request, await request.body())
        return to_starlette_response(await run_in_threadpool(slack.bolt.dispatch, bolt_request))

    async def metrics(request: Request) -> Response:
        text = generate_latest(REGISTRY)
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
        yield
        await run_in_threadpool(slack.shutdown)  # let answers in flight finish

    return Starlette(
        routes=[
            Route(EVENTS_PATH, events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
