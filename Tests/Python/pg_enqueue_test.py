"""The PostgreSQL store's SQL enqueue function, called as a Python web application would: through
psycopg, inside the application's own transactions.

    python pg_enqueue_test.py URL SCHEMA

The schema must exist (a host or `jobqueue enqueue` creates it) with topic `fault` and no jobs.
Leaves 1 + 8 * 25 + 1 ready jobs of topic `fault` (payload "ok") for the caller to drain and
prints "pg enqueue: every check passed".
"""
import sys
import threading

import psycopg

url, schema = sys.argv[1], sys.argv[2]
channel = f"jobqueue_{schema}"


def count(connection, where="TRUE"):
    return connection.execute(f"SELECT count(*) FROM {schema}.jobs WHERE {where}").fetchone()[0]


def check(condition, message):
    if not condition:
        raise SystemExit(f"FAILED: {message}")


with psycopg.connect(url, autocommit=True) as observer, psycopg.connect(url, autocommit=True) as listener:
    listener.execute(f"LISTEN {channel}")

    # Rolled back with the application's own write: no job, no wake-up.
    with psycopg.connect(url) as app:
        app.execute("CREATE TEMP TABLE orders (id int)")
        app.execute("INSERT INTO orders VALUES (1)")
        app.execute(f"SELECT {schema}.enqueue('shop', 'fault', '\"ok\"')")
        app.rollback()
    check(count(observer) == 0, "a rolled-back enqueue left a job")
    check(not list(listener.notifies(timeout=0.2, stop_after=1)), "a rolled-back enqueue woke the hosts")

    # Committed: the job exists once the transaction commits, and the hosts are woken then.
    with psycopg.connect(url) as app:
        job = app.execute(f"SELECT {schema}.enqueue('shop', 'fault', %s::jsonb, priority => 5)", ('"ok"',)).fetchone()[0]
        check(count(observer) == 0, "a job was visible before its transaction committed")
        app.commit()
    check(count(observer, f"id = {job} AND priority = 5 AND convert_from(payload, 'UTF8') = '\"ok\"'") == 1, "the committed job is missing")
    check(list(listener.notifies(timeout=2, stop_after=1)), "the commit did not wake the hosts")

    # Bad arguments: a clear error, nothing stored.
    bad = [
        ("'', 'fault'", "queue id is empty"),
        ("'shop', ''", "topic is empty"),
        ("'shop', 'fault', max_retries => -1", "max retries must be 0 or more, got -1"),
        ("'shop', 'fault', unique_for => '1 hour'", "unique-for needs a unique key"),
        ("'shop', 'fault', unique_key => 'k', unique_for => '-1 hour'", "unique-for must be positive"),
        ("'sh' || chr(7) || 'op', 'fault'", "queue id contains a control character"),
        (f"repeat('q', 256), 'fault'", "queue id is 256 bytes, over the limit of 255"),
        ("'shop', 'fault', NULL", "payload is NULL"),
    ]
    for arguments, message in bad:
        try:
            observer.execute(f"SELECT {schema}.enqueue({arguments})")
            check(False, f"enqueue({arguments}) was accepted")
        except psycopg.errors.InvalidParameterValue as error:
            check(message in str(error), f"enqueue({arguments}): {error}")
    check(count(observer) == 1, "a refused enqueue stored a job")

    # Unique keys: the key's live job answers, also to a call that races it from another session.
    first = observer.execute(f"SELECT {schema}.enqueue('shop', 'later', unique_key => 'order-9', run_at => now() + interval '1 hour')").fetchone()[0]
    again = observer.execute(f"SELECT {schema}.enqueue('shop', 'later', unique_key => 'order-9')").fetchone()[0]
    check(first == again, f"a taken unique key stored another job ({first}, {again})")

    # Concurrent callers: 8 sessions, 25 jobs each, plus 8 racing for one new unique key.
    ids, keyed, errors = [], [], []
    lock = threading.Lock()

    def producer():
        try:
            with psycopg.connect(url, autocommit=True) as connection:
                mine = [connection.execute(f"SELECT {schema}.enqueue('t' || %s, 'fault', '\"ok\"')", (n % 4,)).fetchone()[0] for n in range(25)]
                with connection.transaction():
                    key = connection.execute(f"SELECT {schema}.enqueue('shop', 'fault', '\"ok\"', unique_key => 'once')").fetchone()[0]
            with lock:
                ids.extend(mine)
                keyed.append(key)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=producer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check(not errors, f"concurrent enqueues failed: {errors}")
    check(len(set(ids)) == 200, f"concurrent enqueues gave {len(set(ids))} distinct ids")
    check(len(set(keyed)) == 1, f"racing callers of one unique key got {set(keyed)}")
    check(count(observer, "topic = 'fault'") == 202, f"{count(observer, 'topic = %s' % repr('fault'))} jobs of fault stored")
    check(count(observer, "topic = 'later'") == 1, "the keyed later job is missing")
    # A job for later points its queue at its own time, not at now: no host looks at it before.
    visible, pointer = observer.execute(
        f"SELECT j.visible_at, p.vesting_at FROM {schema}.jobs j JOIN {schema}.queue_pointers p USING (queue_id, topic) "
        "WHERE j.topic = 'later'").fetchone()
    now_ms = observer.execute("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint").fetchone()[0]
    check(visible > now_ms + 3_000_000 and pointer == visible, f"the later job's pointer is {pointer}, its time {visible}")
    observer.execute(f"DELETE FROM {schema}.jobs WHERE topic = 'later'")
    observer.execute(f"DELETE FROM {schema}.queue_pointers WHERE topic = 'later'")

print("pg enqueue: every check passed")
