import GRDB

/// The store's tables, as versioned migrations. A release that changes the layout appends a
/// migration; existing files are upgraded when opened, and a file that already holds a migration
/// this version does not know is refused.
enum SQLiteSchema {
    /// Marks the file as a JobQueue store ("JQ1" in ASCII) so another program's database is refused.
    static let applicationID: Int32 = 0x4A_51_31

    /// Every migration this version knows, oldest first.
    static let identifiers = [
        "v1: jobs, pointers, dead letters, hosts", "v2: hosts report running jobs and stopping",
        "v3: job history, completed jobs, retention, host generations",
        "v4: unique keys and pauses",
        "v5: schedules' last ticks",
        "v6: limits: running jobs by topic and queue, rate windows",
        "v7: hosts report their running jobs' progress",
        "v8: pointers read the earliest visible time from jobs_order; jobs_vesting dropped",
        "v9: counts per queue, leases per batch, an index of scheduled jobs",
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(identifiers[0]) { db in
            try db.execute(
                sql: """
                    -- One row per live job. `id` is the enqueue order; AUTOINCREMENT never reuses an id.
                    -- While leased, `visible_at` equals the lease expiry, so an expired lease is simply
                    -- visible again (crash recovery needs no sweeper).
                    CREATE TABLE jobs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        queue_id TEXT NOT NULL,
                        topic TEXT NOT NULL,
                        payload BLOB NOT NULL,
                        priority INTEGER NOT NULL,
                        visible_at INTEGER NOT NULL,
                        attempt INTEGER NOT NULL DEFAULT 0,
                        max_retries INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        last_error TEXT,
                        lease_token TEXT,
                        lease_expires_at INTEGER
                    );
                    -- Order inside a queue: priority, then visible time, then enqueue order.
                    CREATE INDEX jobs_order ON jobs(queue_id, topic, priority, visible_at, id);
                    -- The earliest visible time of a queue, to maintain its pointer.
                    CREATE INDEX jobs_vesting ON jobs(queue_id, topic, visible_at);

                    -- The pointer index (QuiCK): per queue, when it next has visible work. Written in the
                    -- same transaction as every job write; removed when the queue is empty.
                    CREATE TABLE queue_pointers (
                        queue_id TEXT NOT NULL,
                        topic TEXT NOT NULL,
                        vesting_at INTEGER NOT NULL,
                        PRIMARY KEY (queue_id, topic)
                    ) WITHOUT ROWID;
                    CREATE INDEX queue_pointers_ready ON queue_pointers(topic, vesting_at);

                    CREATE TABLE dead_letters (
                        id INTEGER PRIMARY KEY,
                        queue_id TEXT NOT NULL,
                        topic TEXT NOT NULL,
                        payload BLOB NOT NULL,
                        priority INTEGER NOT NULL,
                        max_retries INTEGER NOT NULL,
                        attempts INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        died_at INTEGER NOT NULL
                    );
                    CREATE INDEX dead_letters_queue ON dead_letters(queue_id, topic);

                    CREATE TABLE hosts (
                        id TEXT PRIMARY KEY,
                        hostname TEXT NOT NULL,
                        pid INTEGER NOT NULL,
                        topics TEXT NOT NULL,
                        started_at INTEGER NOT NULL,
                        seen_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        note TEXT
                    );
                    """)
        }
        migrator.registerMigration(identifiers[1]) { db in
            try db.execute(
                sql: """
                    ALTER TABLE hosts ADD COLUMN running TEXT NOT NULL DEFAULT '';
                    ALTER TABLE hosts ADD COLUMN stopping INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        migrator.registerMigration(identifiers[2]) { db in
            try db.execute(
                sql: """
                    -- Each job's latest runs (a JSON array of JobAttempt records), moving with it.
                    ALTER TABLE jobs ADD COLUMN history TEXT NOT NULL DEFAULT '[]';
                    -- Which code each host serves (1 at start, one more per reload).
                    ALTER TABLE hosts ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE dead_letters ADD COLUMN history TEXT NOT NULL DEFAULT '[]';
                    CREATE INDEX dead_letters_age ON dead_letters(died_at);

                    -- Completed jobs kept for `retention.completed` (none unless configured).
                    CREATE TABLE completed_jobs (
                        id INTEGER PRIMARY KEY,
                        queue_id TEXT NOT NULL,
                        topic TEXT NOT NULL,
                        payload BLOB NOT NULL,
                        priority INTEGER NOT NULL,
                        max_retries INTEGER NOT NULL,
                        attempts INTEGER NOT NULL,
                        history TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        completed_at INTEGER NOT NULL
                    );
                    CREATE INDEX completed_jobs_queue ON completed_jobs(queue_id, topic);
                    CREATE INDEX completed_jobs_age ON completed_jobs(completed_at);
                    """)
        }
        migrator.registerMigration(identifiers[3]) { db in
            try db.execute(
                sql: """
                    -- At most one live job per topic and unique key: the index itself refuses a second.
                    ALTER TABLE jobs ADD COLUMN unique_key TEXT;
                    CREATE UNIQUE INDEX jobs_unique ON jobs(topic, unique_key) WHERE unique_key IS NOT NULL;
                    -- Keys held past their job's life (`unique_for`), until `held_until`.
                    CREATE TABLE unique_holds (
                        topic TEXT NOT NULL,
                        unique_key TEXT NOT NULL,
                        job_id INTEGER NOT NULL,
                        held_until INTEGER NOT NULL,
                        PRIMARY KEY (topic, unique_key)
                    ) WITHOUT ROWID;
                    CREATE INDEX unique_holds_age ON unique_holds(held_until);

                    -- Paused topics (queue_id '') and queues: the ready scan passes over them.
                    CREATE TABLE pauses (
                        topic TEXT NOT NULL,
                        queue_id TEXT NOT NULL,
                        paused_at INTEGER NOT NULL,
                        PRIMARY KEY (topic, queue_id)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration(identifiers[4]) { db in
            try db.execute(
                sql: """
                    -- Each schedule's last tick: the hosts' shared record that a tick's job was enqueued.
                    CREATE TABLE schedule_ticks (name TEXT PRIMARY KEY, last_tick INTEGER NOT NULL) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration(identifiers[5]) { db in
            try db.execute(
                sql: """
                    -- The leases taken of topics with `max_running` or `max_running_per_queue`: what
                    -- those count, joined to the jobs still holding them (a row whose job settled,
                    -- or whose lease ran out, no longer counts and is swept by the next take). Topics
                    -- without such limits never write here: their job path is unchanged.
                    CREATE TABLE limit_slots (
                        topic TEXT NOT NULL,
                        queue_id TEXT NOT NULL,
                        job_id INTEGER NOT NULL,
                        lease_token TEXT NOT NULL,
                        PRIMARY KEY (topic, queue_id, job_id)
                    ) WITHOUT ROWID;
                    -- The recent starts of each rate-limited topic (`RateWindow`), as 64-bit times.
                    CREATE TABLE rate_windows (topic TEXT PRIMARY KEY, starts BLOB NOT NULL) WITHOUT ROWID;
                    -- Set while a queue is held at its `max_running_per_queue` (`vesting_at` then waits
                    -- for its earliest lease): when it was last served, which it gets back once released.
                    ALTER TABLE queue_pointers ADD COLUMN held_from INTEGER;
                    """)
        }
        migrator.registerMigration(identifiers[6]) { db in
            // `job TAB percent TAB message` per running job that reported progress (RunningProgress).
            try db.execute(sql: "ALTER TABLE hosts ADD COLUMN progress TEXT NOT NULL DEFAULT ''")
        }
        migrator.registerMigration(identifiers[7]) { db in
            // A second index of every job's visible time cost each enqueue, lease and settlement
            // an index entry to write or move; the pointer refresh now seeks `jobs_order` one
            // priority at a time instead (`earliestVisibleTime`).
            try db.execute(sql: "DROP INDEX jobs_vesting")
        }
        migrator.registerMigration(identifiers[8]) { db in
            // What `status` counts, kept in step with the writes rather than counted from every
            // row (see `SQLiteJobStore+Counts.swift`), each filled from the rows already there.
            try db.execute(
                sql: """
                    -- Per queue: its jobs in the jobs table, its dead letters and cancelled jobs (a
                    -- queue left with none of them keeps a row of zeros until the next prune).
                    CREATE TABLE queue_counts (
                        queue_id TEXT NOT NULL,
                        topic TEXT NOT NULL,
                        jobs INTEGER NOT NULL DEFAULT 0,
                        dead INTEGER NOT NULL DEFAULT 0,
                        cancelled INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (queue_id, topic)
                    ) WITHOUT ROWID;
                    INSERT INTO queue_counts(queue_id, topic, jobs) SELECT queue_id, topic, count(*) FROM jobs GROUP BY queue_id, topic;
                    INSERT INTO queue_counts(queue_id, topic, dead, cancelled)
                    SELECT queue_id, topic, sum(kind <> 'cancelled'), sum(kind = 'cancelled') FROM dead_letters WHERE true GROUP BY queue_id, topic
                    ON CONFLICT(queue_id, topic) DO UPDATE SET dead = excluded.dead, cancelled = excluded.cancelled;
                    -- One row per lease and queue: how many of the queue's jobs the lease holds, until
                    -- when. Rows of expired leases count nothing and are pruned.
                    CREATE TABLE leases (
                        lease_token TEXT NOT NULL,
                        queue_id TEXT NOT NULL,
                        topic TEXT NOT NULL,
                        jobs INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        PRIMARY KEY (lease_token, queue_id, topic)
                    ) WITHOUT ROWID;
                    INSERT INTO leases SELECT lease_token, queue_id, topic, count(*), max(lease_expires_at) FROM jobs
                    WHERE lease_token IS NOT NULL GROUP BY lease_token, queue_id, topic;
                    -- Jobs put off to a later time (enqueued for later, retried, snoozed) and not leased:
                    -- a job enqueued to run now, as most are, never enters this index.
                    CREATE INDEX jobs_scheduled ON jobs(visible_at, queue_id, topic) WHERE lease_token IS NULL AND visible_at > created_at;
                    """)
        }
        return migrator
    }
}
