import JobQueue

extension PostgresSchema {
    /// `$schema.complete_jobs(ids bigint[], tokens text[], now_ms bigint)`: a batch of
    /// completions settled in one round trip instead of five (BEGIN, the delete, the pointers'
    /// lock, their refresh, COMMIT), the store's most frequent write. It runs the statements the
    /// store sends otherwise, in the same order: ``CompleteJobs``, then ``LockPointers`` and
    /// ``RefreshPointers`` for the queues of the jobs it deleted (not served now; held pointers
    /// released by `StoreRules.heldLease`'s rule: a queue's one settled lease, none when the batch
    /// held jobs of several). Each statement of a PL/pgSQL function takes a new snapshot, so the
    /// refresh reads every job committed before the pointers were locked, as the rule of
    /// `PostgresJobStore+Pointers.swift` wants. Returns each deleted job with its queue.
    ///
    /// The statements' SQL is inlined from their types, so a change to one of them needs a
    /// migration that replaces this function. Both functions run with `enable_seqscan = off`:
    /// every table they read is read by key, and the planner would otherwise scan a small
    /// pointer table whole at each lookup (and its dead row versions, during a drain).
    static let completeFunction = """
        CREATE OR REPLACE FUNCTION $schema.complete_jobs(ids bigint[], tokens text[], now_ms bigint)
        RETURNS TABLE (completed_id bigint, completed_queue text, completed_topic text)
        LANGUAGE plpgsql SET search_path = $schema SET enable_seqscan = off AS $function$
        DECLARE
            done_ids bigint[]; done_queues text[]; done_topics text[];
            key_queues text[]; key_topics text[]; key_leases text[];
        BEGIN
            WITH deleted AS (
                \(inlined(CompleteJobs.sql, "ids", "tokens"))
            )
            SELECT array_agg(id), array_agg(queue_id), array_agg(topic) INTO done_ids, done_queues, done_topics FROM deleted;
            IF done_ids IS NULL THEN RETURN; END IF;
            SELECT array_agg(k.queue_id ORDER BY k.queue_id, k.topic), array_agg(k.topic ORDER BY k.queue_id, k.topic),
                array_agg(k.lease ORDER BY k.queue_id, k.topic)
            INTO key_queues, key_topics, key_leases
            FROM (
                SELECT d.queue_id, d.topic, CASE WHEN count(DISTINCT l.token) = 1 THEN min(l.token) ELSE '' END AS lease
                FROM unnest(done_ids, done_queues, done_topics) AS d(id, queue_id, topic)
                JOIN unnest(ids, tokens) AS l(id, token) ON l.id = d.id
                GROUP BY d.queue_id, d.topic
            ) k;
            \(inlined(LockPointers.sql, "key_queues", "key_topics").replacing("SELECT 1", with: "PERFORM 1", maxReplacements: 1));
            \(inlined(RefreshPointers.sql, "key_queues", "key_topics", "NULL", "now_ms",
                "array_fill(false, ARRAY[cardinality(key_queues)])", "key_leases"));
            RETURN QUERY SELECT * FROM unnest(done_ids, done_queues, done_topics);
        END
        $function$
        """

    /// `$schema.take_batches(batch_of int[], queue_ids text[], topics text[], rooms int[],
    /// tokens text[], now_ms bigint, expiry_ms bigint, dead_kind text, vanished_format text,
    /// lost_error text)`: a take's batches filled in one round trip instead of one per queue plus
    /// BEGIN, COMMIT and the pointers' refresh, for takes with no topic limits. Entry i asks
    /// batch `batch_of[i]` (1, 2…; a batch's entries in its plan's order) to lease from queue
    /// (`queue_ids[i]`, `topics[i]`), whose topic allows `rooms[i]` jobs per batch
    /// (`BatchLimits.limit(for:)`). As `BatchFill` does: a batch holds the topic of the first queue
    /// that gives it jobs, skips queues of another topic, and stops at the topic's limit. A queue is
    /// leased from (``LeaseJobs`` under `tokens[batch]`) only if its pointer is still due and no
    /// other take holds it (`FOR UPDATE SKIP LOCKED`, the lock ``ScanReadyQueues`` takes otherwise);
    /// then the pointers it served are refreshed as served now (``RefreshPointers``). Returns the
    /// leased jobs tagged with their entry i, and a last row (entry 0) whose id is how many
    /// pointers it could lock: none means every queue was another take's, as an empty locking scan
    /// would say.
    static let takeFunction = """
        CREATE OR REPLACE FUNCTION $schema.take_batches(
            batch_of int[], queue_ids text[], topics text[], rooms int[], tokens text[],
            now_ms bigint, expiry_ms bigint, dead_kind text, vanished_format text, lost_error text)
        RETURNS TABLE (taken_entry int, taken_id bigint, taken_payload bytea, taken_priority int, taken_attempt int,
            taken_max_retries int, taken_visible_at bigint)
        LANGUAGE plpgsql SET search_path = $schema SET enable_seqscan = off AS $function$
        DECLARE
            batch_topics text[]; batch_counts int[]; served_queues text[]; served_topics text[];
            this_batch int; room int; got int; locked int := 0;
        BEGIN
            FOR i IN 1..coalesce(cardinality(queue_ids), 0) LOOP
                this_batch := batch_of[i];
                CONTINUE WHEN batch_topics[this_batch] <> topics[i];
                room := rooms[i] - coalesce(batch_counts[this_batch], 0);
                CONTINUE WHEN room <= 0;
                PERFORM 1 FROM queue_pointers WHERE queue_id = queue_ids[i] AND topic = topics[i] AND vesting_at <= now_ms
                    FOR UPDATE SKIP LOCKED;
                CONTINUE WHEN NOT FOUND;
                locked := locked + 1;
                served_queues := served_queues || queue_ids[i];
                served_topics := served_topics || topics[i];
                RETURN QUERY \(inlined(LeaseJobs.statement(tagging: "i, "), "queue_ids[i]", "topics[i]", "now_ms", "room",
                    "tokens[this_batch]", "expiry_ms", "dead_kind", "vanished_format", "lost_error"));
                GET DIAGNOSTICS got = ROW_COUNT;
                IF got > 0 THEN
                    batch_topics[this_batch] := topics[i];
                    batch_counts[this_batch] := coalesce(batch_counts[this_batch], 0) + got;
                END IF;
            END LOOP;
            IF locked > 0 THEN
                SELECT array_agg(d.queue_id), array_agg(d.topic) INTO served_queues, served_topics
                FROM (SELECT DISTINCT * FROM unnest(served_queues, served_topics)) AS d(queue_id, topic);
                \(inlined(RefreshPointers.sql, "served_queues", "served_topics", "now_ms", "now_ms",
                    "array_fill(false, ARRAY[cardinality(served_queues)])", "array_fill(''::text, ARRAY[cardinality(served_queues)])"));
            END IF;
            RETURN QUERY SELECT 0, locked::bigint, NULL::bytea, NULL::int, NULL::int, NULL::int, NULL::bigint;
        END
        $function$
        """

    /// `sql` with its parameters `$1`, `$2`… replaced by `arguments`, in a function's body.
    static func inlined(_ sql: String, _ arguments: String...) -> String {
        arguments.indices.reversed().reduce(sql) { text, index in text.replacing("$\(index + 1)", with: arguments[index]) }
    }
}
