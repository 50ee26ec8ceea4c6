"""The pgqueuer side of scripts/bench-pgqueuer.sh (pgqueuer 1.6.0 on asyncpg, see requirements.txt).

    drain.py install URL                 pgqueuer's schema (Queries.install(), as `pgq install`)
    drain.py enqueue URL N               N no-op jobs for the entrypoint "noop", 1,000 per INSERT
    drain.py drain URL N BATCH CONC      one QueueManager drains them; prints its seconds

The drain is one process, one asyncpg connection and one QueueManager, as `pgq run` sets it up,
with a cell BATCH × CONC of JobQueue mapped to QueueManager.run(batch_size=BATCH,
max_concurrent_tasks=BATCH * CONC): each dequeue claims up to BATCH jobs, and the worker holds at
most BATCH × CONC picked jobs, which is what a JobQueue host leases at most (CONC batches of up
to BATCH jobs); pgqueuer wants at least 2 × BATCH there, so CONC 1 gets that. The entrypoint has no concurrency_limit (0, unlimited): pgqueuer's per-entrypoint
limit caps running jobs of the entrypoint across all workers, not batches, so `concurrency_limit=CONC`
would cut each dequeue to CONC jobs. Everything else is pgqueuer's default (dequeue_timeout 30 s,
heartbeat_timeout 30 s, log_aggregation_interval 30 s, durability `durable`: all tables logged).

The time runs from just before the connection is opened until run() has returned (the queue
found empty by drain mode, or all N jobs counted by the no-op entrypoint, which then sets the
shutdown event; either way the completion buffer is flushed before run() returns). Python's
start-up and imports are not timed.
"""

import asyncio
import sys
import time

import asyncpg
from pgqueuer import Job, Queries, QueueManager
from pgqueuer.domain.types import QueueExecutionMode


async def install(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await Queries.from_asyncpg_connection(connection).install()
    finally:
        await connection.close()


async def enqueue(url: str, jobs: int) -> None:
    connection = await asyncpg.connect(url)
    try:
        queries = Queries.from_asyncpg_connection(connection)
        for start in range(0, jobs, 1000):
            count = min(1000, jobs - start)
            await queries.enqueue(["noop"] * count, [None] * count, [0] * count)
    finally:
        await connection.close()


async def drain(url: str, jobs: int, batch: int, concurrency: int) -> None:
    started = time.monotonic()
    connection = await asyncpg.connect(url)
    try:
        manager = QueueManager(Queries.from_asyncpg_connection(connection))
        done = 0

        @manager.entrypoint("noop")
        async def noop(job: Job) -> None:
            nonlocal done
            done += 1
            if done == jobs:
                manager.shutdown.set()

        # pgqueuer refuses a budget under twice the batch: at CONC 1 the worker may hold 2 × BATCH.
        budget = max(batch * concurrency, 2 * batch)
        await manager.run(batch_size=batch, max_concurrent_tasks=budget, mode=QueueExecutionMode.drain)
        ended = time.monotonic()
    finally:
        await connection.close()
    if done != jobs:
        sys.exit(f"drain.py: {done} of {jobs} jobs ran")
    print(f"{ended - started:.6f}")


def main() -> None:
    command, url = sys.argv[1], sys.argv[2]
    if command == "install":
        asyncio.run(install(url))
    elif command == "enqueue":
        asyncio.run(enqueue(url, int(sys.argv[3])))
    elif command == "drain":
        asyncio.run(drain(url, int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])))
    else:
        sys.exit(f"usage: {sys.argv[0]} install|enqueue|drain URL …")


if __name__ == "__main__":
    main()
