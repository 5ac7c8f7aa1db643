"""Prometheus metrics: what the web layer and the page cache record, and the scrape output.

Counting is cheap and always on; only /metrics (PORCH_METRICS=1) exposes the numbers. Under
gunicorn every worker writes to PROMETHEUS_MULTIPROC_DIR and a scrape sums them.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator

from prometheus_client import CollectorRegistry
from prometheus_client import Counter
from prometheus_client import Histogram
from prometheus_client import generate_latest
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUEST_SECONDS = Histogram(
    "porch_http_request_duration_seconds",
    "Time to answer a request, by endpoint and method.",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
REPLIES_POSTED = Counter("porch_replies_posted", "Replies stored (any status).")
CACHE_HITS = Counter("porch_cache_hits", "Pages or fragments answered from the cache.")
CACHE_MISSES = Counter("porch_cache_misses", "Pages or fragments that had to be rendered.")


def record_request(endpoint: str, method: str, seconds: float) -> None:
    REQUEST_SECONDS.labels(endpoint=endpoint, method=method).observe(seconds)


def record_reply_posted() -> None:
    REPLIES_POSTED.inc()


def record_cache(hit: bool) -> None:
    """For the page and fragment cache: hit ratio = hits / (hits + misses)."""
    (CACHE_HITS if hit else CACHE_MISSES).inc()


class _Gauges(Collector):
    """Values read at scrape time (the moderation queue length), not kept in any process."""

    def __init__(self, queue_length: Callable[[], int]) -> None:
        self._queue_length = queue_length

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily(
            "porch_moderation_queue_length",
            "Replies waiting in the Pending tab.",
            value=self._queue_length(),
        )


def scrape(queue_length: Callable[[], int], multiprocess_dir: str | None) -> bytes:
    """The text exposition format: every worker's samples (or this process's) plus the gauges."""
    if multiprocess_dir:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=multiprocess_dir)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        for collector in (REQUEST_SECONDS, REPLIES_POSTED, CACHE_HITS, CACHE_MISSES):
            registry.register(collector)
    registry.register(_Gauges(queue_length))
    return generate_latest(registry)
