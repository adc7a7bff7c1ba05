"""`GET /healthz`: can this process answer (index loaded) and remember (Redis reachable)?"""

from __future__ import annotations

from bot.slack.deps import SlackDeps


def health(deps: SlackDeps) -> tuple[bool, dict]:
    """(healthy, details) — details name each check so an operator sees which one failed."""
    checks = {"index": _index_ok(deps), "redis": _redis_ok(deps)}
    healthy = all(checks.values())
    return healthy, {"status": "ok" if healthy else "unhealthy", "checks": checks}


def _index_ok(deps: SlackDeps) -> bool:
    try:
        return bool(deps.service.ready())
    except Exception:
        return False


def _redis_ok(deps: SlackDeps) -> bool:
    try:
        return bool(deps.stores.redis.ping())
    except Exception:
        return False
