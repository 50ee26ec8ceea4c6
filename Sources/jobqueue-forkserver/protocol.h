/*
 * protocol.h — the messages between the host and the fork server (the C half; the Swift half is
 * Sources/JobQueuePlugins/Wire/WireProtocol.swift and must say the same).
 *
 * Transport: the host spawns the server with stdin = command pipe (host → server) and
 * stdout = event pipe (server → host); stderr is the host's stderr.
 *
 * Frame:   u32 length | u8 type | fields…      (length counts the type byte and the fields)
 * Fields:  integers little-endian, fixed width (u8, u32, i32, u64);
 *          str / bytes = u32 length + that many bytes (strings are UTF-8, no NUL).
 *
 * Commands (host → server)
 *   LOAD     1  u64 as_bytes, u64 cpu_seconds, u64 open_files   rlimits of every later child, 0 = unchanged
 *               u8 flags                                        bit 0: keep Swift backtraces on in children
 *               u32 n, n × { str topic, str path, str config_json }
 *               → one LOADED event
 *   RUN      2  u64 batch, str topic,
 *               u32 n, n × { u64 item_id, str queue_id, u32 attempt, bytes payload }
 *               → STARTED, then BEGIN/OUTCOME/LOG/OUTPUT…, then EXITED; or REJECTED
 *   KILL     3  u64 batch                                       SIGKILL the batch's process group
 *   SHUTDOWN 4  (none)                                          finish running batches, call jq_shutdown, exit 0
 *   End of file on stdin = the host is gone: kill every batch, exit.
 *
 * Events (server → host)
 *   LOADED   64 u32 n, n × { str topic, u8 ok, str message }    when ok, a notice or empty
 *   STARTED  65 u64 batch, u32 pid                               the batch's child (and process group)
 *   BEGIN    66 u64 batch, u32 index                             job `index` (0-based) is starting
 *   OUTCOME  67 u64 batch, u32 index, u8 status, str message,
 *               u8 has_result, bytes result, u64 snooze_ms,
 *               u32 n, n × { str queue_id, str topic, bytes payload,
 *                            u32 set, i32 priority, u64 delay_ms, u32 max_retries,
 *                            str unique_key, u64 unique_for_ms }                     follow-ups
 *   LOG      68 u64 batch, u32 index, u8 level, str message
 *   OUTPUT   69 u64 batch, u8 stream (1 stdout, 2 stderr), bytes data
 *   EXITED   70 u64 batch, i32 wait_status                       last event of a batch: after every
 *                                                                other event of that batch
 *   REJECTED 71 u64 batch, str message                           the batch never started
 *   PROGRESS 72 u64 batch, u32 index, u8 percent, str message     (ABI 1.2) how far job index is
 *
 * A batch's child writes BEGIN, LOG, PROGRESS, OUTPUT and OUTCOME frames itself (with its batch id) into its
 * result pipe; the server checks and forwards them whole, so frames of different batches never
 * interleave. The child sends a job's stdout/stderr as OUTPUT right before the job's OUTCOME, so
 * output arrives in order between BEGIN and OUTCOME; the server sends OUTPUT itself only for output
 * left at exit (a crash) and for large output read while a job is still running.
 */
#ifndef JQ_FORKSERVER_PROTOCOL_H
#define JQ_FORKSERVER_PROTOCOL_H

enum jq_command_type {
    JQ_CMD_LOAD = 1,
    JQ_CMD_RUN = 2,
    JQ_CMD_KILL = 3,
    JQ_CMD_SHUTDOWN = 4,
};

enum jq_event_type {
    JQ_EV_LOADED = 64,
    JQ_EV_STARTED = 65,
    JQ_EV_BEGIN = 66,
    JQ_EV_OUTCOME = 67,
    JQ_EV_LOG = 68,
    JQ_EV_OUTPUT = 69,
    JQ_EV_EXITED = 70,
    JQ_EV_REJECTED = 71,
    JQ_EV_PROGRESS = 72,
};

enum jq_output_stream {
    JQ_STREAM_STDOUT = 1,
    JQ_STREAM_STDERR = 2,
};

/** LOAD flags. */
#define JQ_LOAD_SWIFT_BACKTRACES 1u

/** Largest frame accepted from the host (a RUN carries every payload of its batch). */
#define JQ_MAX_COMMAND_FRAME (512u * 1024u * 1024u)
/** Largest frame accepted from a child (an OUTCOME carries the result and follow-ups). */
#define JQ_MAX_CHILD_FRAME (64u * 1024u * 1024u)

#endif
