"""Where the demo rows are made: in this process, or for a large register in a second process
beside the writer, so that making the rows (Python) and writing them (SQLite) use both cores.

Either way the rows come as one stream of messages from :func:`produce`: the clients' batches,
then the state of the random generator after them (the writer carries on with it, so the
features after the clients get the same seeds as when everything runs in one process), then
the rating batches made from the same clients. The second process is this module run by the
same interpreter (``python -m hemlos_desktop.demo.source``): it reads its arguments from its
standard input and writes the messages, pickled, to its standard output. It is stopped
whenever the writer leaves early, and a failure there is raised here.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from hemlos_desktop.demo.assessments import RatingSpec, rating_batches
from hemlos_desktop.demo.clients import ClientFact, Staff, client_batches

CLIENTS = "clients"
STATE = "state"
RATINGS = "ratings"
DONE = "done"
FAILED = "failed"
# Below this many clients the second process costs more (its start) than it saves.
WORKER_MIN_CLIENTS = 20_000
Message = tuple[str, Any]


def produce(
    state: Any, clients: int, staff: Staff, spec: RatingSpec | None, today: dt.date
) -> Iterator[Message]:
    """The demo rows from the random generator's ``state``, as messages."""
    rng = random.Random()
    rng.setstate(state)
    facts: list[ClientFact] = []
    for batch in client_batches(rng, clients, staff, today=today, facts=facts):
        yield CLIENTS, batch
    yield STATE, rng.getstate()
    seed = rng.random()  # the ratings' own generator, drawn as the writer draws it
    if spec is not None:
        for ratings in rating_batches(random.Random(seed), facts, spec):
            yield RATINGS, ratings
    yield DONE, None


def _work(source: IO[bytes], out: IO[bytes]) -> int:
    """The second process: the arguments from ``source``, every message into ``out``; a
    failure as its kind only (no values of the rows)."""
    arguments = pickle.load(source)
    try:
        for message in produce(*arguments):
            pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        pickle.dump((FAILED, type(exc).__name__), out, protocol=pickle.HIGHEST_PROTOCOL)
        return 1
    finally:
        out.flush()
    return 0


def use_worker(clients: int) -> bool:
    """Whether a register this large is made with a second process (never in the packaged
    program, whose executable cannot start a bare worker)."""
    return clients >= WORKER_MIN_CLIENTS and not getattr(sys, "frozen", False)


class RowSource:
    """The message stream, from this process or from a second one (``worker``); used as a
    context manager so that the second process never outlives the writer."""

    def __init__(
        self,
        rng: random.Random,
        clients: int,
        staff: Staff,
        spec: RatingSpec | None,
        today: dt.date,
        *,
        worker: bool,
    ) -> None:
        self._args: tuple[Any, int, Staff, RatingSpec | None, dt.date] = (
            rng.getstate(),
            clients,
            staff,
            spec,
            today,
        )
        self._worker = worker
        self._process: Any = None

    def __enter__(self) -> Iterator[Message]:
        if not self._worker:
            return produce(*self._args)
        # The child finds this package where this process found it.
        root = str(Path(__file__).resolve().parents[2])
        paths = [root, *filter(None, [os.environ.get("PYTHONPATH")])]
        self._process = subprocess.Popen(
            [sys.executable, "-m", "hemlos_desktop.demo.source"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
        )
        assert self._process.stdin is not None
        pickle.dump(self._args, self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self._process.stdin.close()
        return self._received()

    def _received(self) -> Iterator[Message]:
        stream = self._process.stdout
        while True:
            try:
                message: Message = pickle.load(stream)
            except EOFError:
                raise RuntimeError("the demo rows' process ended early") from None
            if message[0] == FAILED:
                raise RuntimeError(f"the demo rows' process failed ({message[1]})")
            yield message
            if message[0] == DONE:
                return

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        process = self._process
        if process is None:
            return
        if process.poll() is None:  # left early (or just done after its last message)
            process.kill()
        process.wait()
        process.stdout.close()


if __name__ == "__main__":
    # The messages alone on standard output: anything printed goes to standard error. An
    # interrupt is the writer's to handle (it stops this process).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    output = sys.stdout.buffer
    sys.stdout = sys.stderr
    sys.exit(_work(sys.stdin.buffer, output))
