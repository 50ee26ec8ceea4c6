import JobQueue

extension PostgresSchema {
    /// `$schema.enqueue(queue, topic, payload jsonb, priority, run_at, max_retries, unique_key,
    /// unique_for) → bigint`: an enqueue any client library can call inside its own transaction
    /// (the job exists, and hosts are woken, only if that transaction commits), for producers that
    /// are not Swift programs. It does what ``PostgresJobStore/enqueue(_:)`` does for one job:
    /// the checks of `NewJob.validationError` with the same messages (SQLSTATE 22023), the unique
    /// key under the same advisory lock (taken before the pointer, as every writer does), the
    /// pointer lowered to the job's time (`StoreRules.pointerTime`) by `lowerPointer`, the
    /// store's channel notified. Defaults are the library's
    /// (priority 100, 3 retries): a topic's configured defaults live in the hosts' config.yaml,
    /// which the database does not see, so pass them.
    static let enqueueFunction = """
        CREATE OR REPLACE FUNCTION $schema.enqueue(
            queue text, topic text, payload jsonb DEFAULT '{}', priority integer DEFAULT \(TopicPolicy.default.priority),
            run_at timestamptz DEFAULT NULL, max_retries integer DEFAULT \(TopicPolicy.default.maxRetries),
            unique_key text DEFAULT NULL, unique_for interval DEFAULT NULL
        ) RETURNS bigint LANGUAGE plpgsql AS $function$
        #variable_conflict use_variable
        DECLARE
            now_ms bigint := round(extract(epoch FROM clock_timestamp()) * 1000);
            visible_ms bigint := coalesce(round(extract(epoch FROM run_at) * 1000), now_ms);
            hold_ms bigint := round(extract(epoch FROM unique_for) * 1000);
            problem text;
            found_id bigint;
        BEGIN
            problem := CASE
                WHEN queue IS NULL OR queue = '' THEN 'queue id is empty'
                WHEN octet_length(queue) > \(NewJob.maxNameBytes) THEN
                    format('queue id is %s bytes, over the limit of \(NewJob.maxNameBytes)', octet_length(queue))
                WHEN queue ~ '[[:cntrl:]]' THEN 'queue id contains a control character'
                WHEN topic IS NULL OR topic = '' THEN 'topic is empty'
                WHEN octet_length(topic) > \(NewJob.maxNameBytes) THEN
                    format('topic is %s bytes, over the limit of \(NewJob.maxNameBytes)', octet_length(topic))
                WHEN topic ~ '[[:cntrl:]]' THEN 'topic contains a control character'
                WHEN payload IS NULL THEN 'payload is NULL (for a JSON null, pass ''null''::jsonb)'
                WHEN priority IS NULL THEN 'priority is NULL'
                WHEN max_retries IS NULL OR max_retries < 0 THEN format('max retries must be 0 or more, got %s', coalesce(max_retries::text, 'NULL'))
                WHEN unique_key = '' THEN 'unique key is empty'
                WHEN octet_length(unique_key) > \(NewJob.maxUniqueKeyBytes) THEN
                    format('unique key is %s bytes, over the limit of \(NewJob.maxUniqueKeyBytes)', octet_length(unique_key))
                WHEN unique_key ~ '[[:cntrl:]]' THEN 'unique key contains a control character'
                WHEN unique_for IS NOT NULL AND unique_key IS NULL THEN 'unique-for needs a unique key'
                WHEN hold_ms <= 0 OR hold_ms > \(NewJob.maxUniqueFor.milliseconds) THEN
                    format('unique-for must be positive and at most \(NewJob.maxUniqueFor.text), got %s', unique_for)
                END;
            IF problem IS NOT NULL THEN
                RAISE EXCEPTION 'jobqueue enqueue: %', problem USING ERRCODE = 'invalid_parameter_value';
            END IF;
            IF unique_key IS NOT NULL THEN
                PERFORM pg_advisory_xact_lock(hashtextextended(topic, hashtextextended(unique_key, 0)));
                SELECT h.job_id INTO found_id FROM $schema.unique_holds h
                    WHERE h.topic = topic AND h.unique_key = unique_key AND h.held_until > now_ms;
                IF found_id IS NULL THEN
                    SELECT j.id INTO found_id FROM $schema.jobs j WHERE j.topic = topic AND j.unique_key = unique_key;
                END IF;
                IF found_id IS NOT NULL THEN RETURN found_id; END IF;
            END IF;
            INSERT INTO $schema.jobs AS j (queue_id, topic, payload, priority, visible_at, max_retries, created_at, unique_key)
                VALUES (queue, topic, convert_to(payload::text, 'UTF8'), priority, visible_ms, max_retries, now_ms, unique_key)
                RETURNING j.id INTO found_id;
            INSERT INTO $schema.queue_pointers AS queue_pointers (queue_id, topic, vesting_at)
                VALUES (queue, topic, CASE WHEN visible_ms <= now_ms THEN visible_ms - 1 ELSE visible_ms END)
                ON CONFLICT ON CONSTRAINT queue_pointers_pkey DO UPDATE SET \(lowerPointer);
            IF hold_ms IS NOT NULL THEN
                INSERT INTO $schema.unique_holds AS h (topic, unique_key, job_id, held_until)
                    VALUES (topic, unique_key, found_id, now_ms + hold_ms)
                    ON CONFLICT ON CONSTRAINT unique_holds_pkey DO UPDATE SET job_id = excluded.job_id, held_until = excluded.held_until;
            END IF;
            PERFORM pg_notify('jobqueue_$schema', '');
            RETURN found_id;
        END
        $function$
        """
}
