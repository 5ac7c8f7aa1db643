"""gunicorn.conf.py's worker spreads kept-open connections over the workers: a worker with every
thread busy leaves the next connection to another, instead of taking all that arrive at once
while the other workers sit idle."""

from __future__ import annotations

import http.client
import os
import threading
from pathlib import Path

from bench import cluster


def _answers_from_clients_at_once(port: int, clients: int) -> list[str]:
    """Each client opens its own kept-open connection and asks at the same moment."""
    start = threading.Barrier(clients)
    answers: list[str] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        connection.request("GET", "/pid")
        answers.append(connection.getresponse().read().decode())
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def test_connections_arriving_together_are_spread_over_the_workers(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(cluster.ROOT), "PORCH_LOG_FORMAT": "text"}
    with cluster.cluster() as running:
        server = running.add(
            cluster.gunicorn(
                env, tmp_path, name="pids", app="tests.gunicorn_pid_app:app", workers=2, threads=2
            )
        )
        assert server.port is not None
        for _ in range(3):
            answers = _answers_from_clients_at_once(server.port, clients=4)
            assert len(answers) == 4
            # Two threads a worker: each worker takes two connections, never all four.
            assert sorted(answers.count(pid) for pid in set(answers)) == [2, 2]
