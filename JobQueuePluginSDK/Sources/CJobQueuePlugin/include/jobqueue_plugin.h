/*
 * jobqueue_plugin.h — the JobQueue worker plugin ABI.
 *
 * A worker plugin is a shared library (built with e.g. `cc -shared -fPIC -o libX.so x.c`) that
 * exports the functions declared at the end of this file. The host never runs a plugin inside its
 * own process: a small single-threaded fork server loads each plugin once (dlopen RTLD_NOW |
 * RTLD_LOCAL, never closed), calls `jq_init`, and forks one child process per batch of jobs. The
 * child calls `jq_perform` once per job, in order, then exits. A plugin that crashes, hangs or
 * leaks only ever takes its own child down.
 *
 * What that means for a plugin author:
 *   - Global state set up in `jq_init` is visible in every `jq_perform` (the child is a copy of the
 *     process that ran `jq_init`), but changes made by `jq_perform` are lost when the batch's child
 *     exits. Jobs of one batch run in the same child, one after the other.
 *   - File descriptors opened in `jq_init` are NOT available in `jq_perform`: the child closes
 *     every inherited descriptor except its own stdout/stderr/result pipes. Open files, sockets and
 *     connections inside `jq_perform`.
 *   - `jq_init` must not start threads (the fork server has to stay single-threaded to fork safely;
 *     a plugin that leaves a thread behind is refused). Threads started inside `jq_perform` are
 *     fine: they die with the child.
 *   - stdout and stderr of `jq_perform` are captured and logged by the host, tagged with the job,
 *     when the job ends (or as it goes, once more than a few KiB are waiting). For lines that
 *     should appear while a long job runs, use `ctx->log`. Descriptors 3-5 belong to the host.
 *   - A crash (SIGSEGV, abort, Swift trap, ...) or `exit()` during `jq_perform` fails only the job
 *     that was running; the jobs after it in the batch go back to the queue uncharged.
 *
 * Only C types cross this interface. Every string is NUL-terminated UTF-8 unless a length is
 * given. Pointers handed to the plugin are valid only during the call that received them; the
 * host copies everything the plugin hands to it before the call returns.
 *
 * Versioning: the major version changes when an existing declaration changes meaning or layout;
 * the host refuses a plugin whose major version differs from its own. The minor version grows
 * when something is appended (a struct member at the end, a function at the end of the context
 * table). Structs that may grow start with a `size` member holding `sizeof` the struct as its
 * creator compiled it: check it with JQ_HAS_MEMBER before touching a member added after 1.0.
 */
#ifndef JOBQUEUE_PLUGIN_H
#define JOBQUEUE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions ------------------------------------------------------------------------------ */

#define JQ_ABI_VERSION_MAJOR 1
#define JQ_ABI_VERSION_MINOR 2
/** What `jq_abi_version` returns for this header: (major << 16) | minor. */
#define JQ_ABI_VERSION ((uint32_t)((JQ_ABI_VERSION_MAJOR << 16) | JQ_ABI_VERSION_MINOR))

/**
 * True when the struct at `ptr` (of type `type`, whose first member is `size_t size`) was created
 * by code that knew `member`, i.e. the member lies inside `ptr->size` bytes.
 */
#define JQ_HAS_MEMBER(ptr, type, member) \
    ((ptr)->size >= offsetof(type, member) + sizeof(((type *)0)->member))

/* ---- Limits the host enforces -------------------------------------------------------------- */

/** Result bytes beyond this are cut off (the host logs a warning saying so). */
#define JQ_MAX_RESULT_BYTES (1024u * 1024u)
/** Error messages, discard reasons and log lines beyond this are cut off. */
#define JQ_MAX_MESSAGE_BYTES (64u * 1024u)
/** Largest payload of one follow-up job; `enqueue` refuses bigger ones. */
#define JQ_MAX_FOLLOW_UP_PAYLOAD_BYTES (1024u * 1024u)
/** Most follow-up jobs one run may enqueue; `enqueue` refuses more. */
#define JQ_MAX_FOLLOW_UPS 1000u
/** Longest unique key of a follow-up, in bytes (since 1.1). */
#define JQ_MAX_UNIQUE_KEY_BYTES 1024u
/** Since 1.2: the longest progress message kept; longer ones are cut. */
#define JQ_MAX_PROGRESS_MESSAGE_BYTES 256u
/** Most follow-up payload bytes one run may enqueue in all; `enqueue` refuses more. */
#define JQ_MAX_FOLLOW_UP_TOTAL_BYTES (16u * 1024u * 1024u)

/* ---- Outcome of one run -------------------------------------------------------------------- */

/** What `jq_perform` returns. Any other value is treated as JQ_ERROR with a note in the message. */
typedef enum jq_status {
    /** Done: the job is deleted. The result set with `set_result`, if any, is logged at debug
        level with the job's fields, cut to its first 512 bytes (`log: { level: debug }` in
        config.yaml shows it), and kept nowhere else. */
    JQ_OK = 0,
    /** Failed: retried after backoff, dead-lettered once its retries are spent. The message set
        with `set_message` says why. */
    JQ_ERROR = 1,
    /** Not now: run again after the delay set with `set_snooze` (0 if none was set). Counts as an
        attempt but never dead-letters. */
    JQ_SNOOZE = 2,
    /** Give up: dead-lettered at once as discarded, with the reason set with `set_message`. */
    JQ_DISCARD = 3
} jq_status;

/** Severity of a line sent with `log`; mirrors the host's log levels. */
typedef enum jq_log_level {
    JQ_LOG_TRACE = 0,
    JQ_LOG_DEBUG = 1,
    JQ_LOG_INFO = 2,
    JQ_LOG_NOTICE = 3,
    JQ_LOG_WARNING = 4,
    JQ_LOG_ERROR = 5,
    JQ_LOG_CRITICAL = 6
} jq_log_level;

/* ---- The job ------------------------------------------------------------------------------- */

/** One job to run, as `jq_perform` receives it. Read-only; valid during the call only. */
typedef struct jq_job {
    /** sizeof(jq_job) as the host compiled it. */
    size_t size;
    /** The job's topic: the name this plugin was loaded under (e.g. "email"). */
    const char *topic;
    /** The tenant queue the job belongs to (e.g. "customer-42"). */
    const char *queue_id;
    /** The job's id: unique in its store, never reused. */
    uint64_t item_id;
    /** Which run this is, 1-based: 1 the first time, 2 on the first retry, ... */
    uint32_t attempt;
    /** The payload bytes (JSON by convention, but any bytes). Not NUL-terminated. Never NULL,
        even when `payload_len` is 0. */
    const uint8_t *payload;
    /** Number of payload bytes. */
    size_t payload_len;
} jq_job;

/* ---- Follow-up jobs ------------------------------------------------------------------------ */

/** Bits of `jq_enqueue_options.set`: which optional fields carry a value. */
#define JQ_ENQUEUE_PRIORITY    (1u << 0)
#define JQ_ENQUEUE_DELAY       (1u << 1)
#define JQ_ENQUEUE_MAX_RETRIES (1u << 2)
/** Since 1.1: `unique_key` is set. */
#define JQ_ENQUEUE_UNIQUE_KEY  (1u << 3)
/** Since 1.1: `unique_for_ms` is set (with JQ_ENQUEUE_UNIQUE_KEY). */
#define JQ_ENQUEUE_UNIQUE_FOR  (1u << 4)

/**
 * Optional settings of a follow-up job. A field whose bit is not in `set` takes the follow-up's
 * topic's setting in the host's config (or the config's `defaults:`). Start from JQ_ENQUEUE_OPTIONS_INIT:
 *     jq_enqueue_options o = JQ_ENQUEUE_OPTIONS_INIT;
 *     o.set |= JQ_ENQUEUE_DELAY; o.delay_ms = 5000;
 */
typedef struct jq_enqueue_options {
    /** sizeof(jq_enqueue_options) as the plugin compiled it. */
    size_t size;
    /** Which of the fields below are set: JQ_ENQUEUE_* bits. */
    uint32_t set;
    /** Lower runs first; the topic default is usually 100. */
    int32_t priority;
    /** Milliseconds from the job's completion until the follow-up becomes visible. */
    uint64_t delay_ms;
    /** Retries allowed after the follow-up's first run. */
    uint32_t max_retries;
    /** Since 1.1. At most one live job of the follow-up's topic with this key (1 to
        JQ_MAX_UNIQUE_KEY_BYTES bytes): while one is ready, scheduled or running, the follow-up is
        not stored. A host older than 1.1 ignores it. */
    const char *unique_key;
    /** Since 1.1. With a unique key: keep the key taken this many milliseconds after the
        follow-up is stored, whatever becomes of it. */
    uint64_t unique_for_ms;
} jq_enqueue_options;

#define JQ_ENQUEUE_OPTIONS_INIT { sizeof(jq_enqueue_options), 0, 0, 0, 0, NULL, 0 }

/* ---- The context: what a run may ask of the host ------------------------------------------- */

/**
 * Handed to `jq_perform`; call its functions with the context itself as first argument, e.g.
 * `ctx->log(ctx, JQ_LOG_INFO, "sent")`. Valid during that call only; never call it from another
 * thread after `jq_perform` has returned.
 *
 * Functions returning int return 0 on success and non-zero when they refused (an argument was
 * NULL or over a limit, or memory ran out); a refusal changes nothing.
 * Functions may be appended in later minor versions: check JQ_HAS_MEMBER(ctx, jq_context, fn)
 * before calling one added after 1.0.
 */
typedef struct jq_context jq_context;
struct jq_context {
    /** sizeof(jq_context) as the host compiled it. */
    size_t size;
    /** The host's private state. Do not touch. */
    void *host;

    /** Sets the result bytes reported with JQ_OK (copied; a later call replaces them). Results
        longer than JQ_MAX_RESULT_BYTES are cut off with a warning in the log. */
    int (*set_result)(jq_context *ctx, const uint8_t *bytes, size_t len);

    /** Sets the error message (with JQ_ERROR) or the discard reason (with JQ_DISCARD). Copied; a
        later call replaces it. */
    int (*set_message)(jq_context *ctx, const char *message);

    /** Sets how long to wait before the next run when returning JQ_SNOOZE. */
    int (*set_snooze)(jq_context *ctx, uint64_t delay_ms);

    /** Writes one line into the host's log, tagged with the job's id, queue, topic and attempt. */
    void (*log)(jq_context *ctx, jq_log_level level, const char *message);

    /**
     * Asks for a follow-up job. It is stored in the same transaction that records this job's
     * success: it exists if and only if this run returns JQ_OK and that is recorded. After an
     * error, a snooze, a discard or a crash it is dropped, and a retry may ask for it again.
     * `options` may be NULL for all defaults.
     */
    int (*enqueue)(jq_context *ctx, const char *queue_id, const char *topic,
                   const uint8_t *payload, size_t payload_len, const jq_enqueue_options *options);
    /**
     * Since 1.2. Says how far this run has come, for operators: `percent` from 0 to 100 (more
     * counts as 100) and an optional short message (NULL for none; cut to
     * JQ_MAX_PROGRESS_MESSAGE_BYTES). The host shows the latest report of each running job in
     * `jobqueue status --json`, `jobqueue jobs show` and the dashboard. Cheap to call as often as
     * you like: a report less than 100 ms after the last one sent is dropped (it returns 0
     * either way). A host older than 1.2 has no such member: check
     * JQ_HAS_MEMBER(ctx, jq_context, progress) first.
     */
    int (*progress)(jq_context *ctx, uint32_t percent, const char *message);
};

/* ---- Exports ------------------------------------------------------------------------------- */

/** Required. Returns JQ_ABI_VERSION as the plugin was compiled against. */
uint32_t jq_abi_version(void);

/** Required. Runs one job; see jq_status for what each return value means. */
jq_status jq_perform(const jq_job *job, jq_context *ctx);

/**
 * Optional. Called once in each process that loads the plugin, before any `jq_perform`, with the
 * topic's configuration as a JSON text ("{}" when none is configured). Returns 0 when ready;
 * otherwise writes a NUL-terminated reason of at most `error_size` bytes (including the NUL) into
 * `error` and returns non-zero, and the plugin is refused.
 */
int jq_init(const char *config_json, char *error, size_t error_size);

/** Optional. Called once when the process that called `jq_init` stops. */
void jq_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* JOBQUEUE_PLUGIN_H */
