"""Fire pre-signed Slack requests at once from a process of its own and time each HTTP response.

A separate, nearly idle process measures what Slack would see: the benchmark's own work (the fake
Slack Web API, seeding, waiting for answers) does not queue behind the requests being timed.
Reads JSON from stdin: {"url": ..., "requests": [{"body": str, "headers": {...}}, ...]}; prints
the latencies in seconds as a JSON list, in request order.

    python bench/ack_load.py < requests.json
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def fire(url: str, requests: list[dict]) -> list[float]:
    """Send every request at the same instant (one connection each, opened beforehand)."""
    parts = urlsplit(url)
    connections = [http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80) for _ in requests]
    for connection in connections:
        connection.connect()
    start = threading.Barrier(len(requests))
    latencies = [0.0] * len(requests)

    def send(i: int) -> None:
        request, connection = requests[i], connections[i]
        start.wait()
        began = time.perf_counter()
        connection.request("POST", "/slack/events", body=request["body"].encode(), headers=request["headers"])
        response = connection.getresponse()
        response.read()
        latencies[i] = time.perf_counter() - began
        if response.status != 200:
            raise SystemExit(f"request {i}: HTTP {response.status}")

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for connection in connections:
        connection.close()
    return latencies


if __name__ == "__main__":
    spec = json.load(sys.stdin)
    print(json.dumps(fire(spec["url"], spec["requests"])))
