"""`GET /healthz`: can this deployment take questions (Redis, broker) and answer them (index or workers)?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from bot.slack.deps import SlackDeps

if TYPE_CHECKING:
    from bot.answer.service import PolicyService


class QueueChecks(Protocol):
    def checks(self) -> dict: ...


def health(deps: SlackDeps, queue: QueueChecks | None = None) -> tuple[bool, dict]:
    """(healthy, details) — details name each check so an operator sees which one failed.

    The web tier (`queue` given) is healthy when Redis and the broker are reachable; it reports
    the live workers and the queue depth beside them (no workers: questions wait in the queue).
    The in-process app checks its own index instead.
    """
    checks: dict = {"redis": _redis_ok(deps)}
    service = getattr(deps, "service", None)  # AnswerDeps: answers in this process
    if service is not None:
        checks["index"] = _index_ok(service)
    if queue is not None:
        checks.update(queue.checks())
    healthy = all(v for k, v in checks.items() if k in ("redis", "index", "broker"))
    return healthy, {"status": "ok" if healthy else "unhealthy", "checks": checks}


def _index_ok(service: PolicyService) -> bool:
    try:
        return bool(service.ready())
    except Exception:
        return False


def _redis_ok(deps: SlackDeps) -> bool:
    try:
        return bool(deps.stores.redis.ping())
    except Exception:
        return False
