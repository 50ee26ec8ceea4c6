/* child.c — see child.h. Everything here runs in the forked child of a single-threaded server. */
#define _GNU_SOURCE
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "buffer.h"
#include "io.h"
#include "protocol.h"

/** Exit code of a child that could not even report (out of memory, result pipe gone). */
#define JQ_CHILD_BROKEN 125

/** What one run of jq_perform has told the host so far. `ctx.host` points back here. */
typedef struct job_state {
    jq_context ctx;
    uint64_t batch;
    uint32_t index;
    /** Cleared when jq_perform returns: calls through a stale context are refused. */
    int active;
    int has_result;
    jq_buf result;
    jq_buf message;
    uint64_t snooze_ms;
    /** When the last progress report was sent (CLOCK_MONOTONIC ms), 0 before the first. */
    uint64_t progress_sent_ms;
    uint32_t follow_up_count;
    size_t follow_up_bytes;
    /** Follow-ups already encoded as OUTCOME fields. */
    jq_buf follow_ups;
} job_state;

static void send_frame(jq_buf *frame) {
    if (jq_write_buf(JQ_CHILD_RESULT_FD, frame) != 0) _exit(JQ_CHILD_BROKEN);
}

static job_state *state_of(jq_context *ctx) {
    if (!ctx || !ctx->host) return NULL;
    job_state *state = ctx->host;
    return state->active ? state : NULL;
}

static void send_log(job_state *state, jq_log_level level, const char *message) {
    size_t n = strnlen(message, JQ_MAX_MESSAGE_BYTES);
    jq_buf frame = {0};
    size_t start = jq_buf_begin_frame(&frame, JQ_EV_LOG);
    jq_buf_put_u64(&frame, state->batch);
    jq_buf_put_u32(&frame, state->index);
    jq_buf_put_u8(&frame, (uint8_t)level);
    jq_buf_put_bytes(&frame, message, n);
    jq_buf_end_frame(&frame, start);
    send_frame(&frame);
    jq_buf_free(&frame);
}

static int ctx_set_result(jq_context *ctx, const uint8_t *bytes, size_t len) {
    job_state *state = state_of(ctx);
    if (!state || (!bytes && len > 0)) return -1;
    size_t kept = len > JQ_MAX_RESULT_BYTES ? JQ_MAX_RESULT_BYTES : len;
    jq_buf_clear(&state->result);
    if (jq_buf_reserve(&state->result, kept) != 0) return -1;
    jq_buf_put_raw(&state->result, bytes, kept);
    state->has_result = 1;
    if (kept < len) {
        char note[160];
        snprintf(note, sizeof note, "result of %zu bytes cut to the first %u bytes", len,
                 JQ_MAX_RESULT_BYTES);
        send_log(state, JQ_LOG_WARNING, note);
    }
    return 0;
}

static int ctx_set_message(jq_context *ctx, const char *message) {
    job_state *state = state_of(ctx);
    if (!state || !message) return -1;
    jq_buf_clear(&state->message);
    jq_buf_put_raw(&state->message, message, strnlen(message, JQ_MAX_MESSAGE_BYTES));
    return state->message.failed ? -1 : 0;
}

static int ctx_set_snooze(jq_context *ctx, uint64_t delay_ms) {
    job_state *state = state_of(ctx);
    if (!state) return -1;
    state->snooze_ms = delay_ms;
    return 0;
}

/** At most one report per job in this interval: a plugin may call progress in a tight loop. */
#define JQ_PROGRESS_INTERVAL_MS 100u

static int ctx_progress(jq_context *ctx, uint32_t percent, const char *message) {
    job_state *state = state_of(ctx);
    if (!state) return -1;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    uint64_t now_ms = (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u + 1u; /* never 0 */
    if (state->progress_sent_ms && now_ms - state->progress_sent_ms < JQ_PROGRESS_INTERVAL_MS) return 0;
    state->progress_sent_ms = now_ms;
    jq_buf frame = {0};
    size_t start = jq_buf_begin_frame(&frame, JQ_EV_PROGRESS);
    jq_buf_put_u64(&frame, state->batch);
    jq_buf_put_u32(&frame, state->index);
    jq_buf_put_u8(&frame, (uint8_t)(percent > 100 ? 100 : percent));
    jq_buf_put_bytes(&frame, message ? message : "", message ? strnlen(message, JQ_MAX_PROGRESS_MESSAGE_BYTES) : 0);
    jq_buf_end_frame(&frame, start);
    send_frame(&frame);
    jq_buf_free(&frame);
    return 0;
}

static void ctx_log(jq_context *ctx, jq_log_level level, const char *message) {
    job_state *state = state_of(ctx);
    if (!state || !message) return;
    if ((int)level < JQ_LOG_TRACE || (int)level > JQ_LOG_CRITICAL) level = JQ_LOG_INFO;
    send_log(state, level, message);
}

static int ctx_enqueue(jq_context *ctx, const char *queue_id, const char *topic,
                       const uint8_t *payload, size_t payload_len,
                       const jq_enqueue_options *options) {
    job_state *state = state_of(ctx);
    if (!state || !queue_id || !*queue_id || !topic || !*topic) return -1;
    if (!payload && payload_len > 0) return -1;
    if (payload_len > JQ_MAX_FOLLOW_UP_PAYLOAD_BYTES) return -1;
    if (state->follow_up_count >= JQ_MAX_FOLLOW_UPS) return -1;
    if (state->follow_up_bytes + payload_len > JQ_MAX_FOLLOW_UP_TOTAL_BYTES) return -1;

    /* Read only the option fields the plugin's header version knew about. */
    uint32_t set = 0, max_retries = 0;
    int32_t priority = 0;
    uint64_t delay_ms = 0, unique_for_ms = 0;
    const char *unique_key = "";
    if (options) {
        if (JQ_HAS_MEMBER(options, jq_enqueue_options, set)) set = options->set;
        if (JQ_HAS_MEMBER(options, jq_enqueue_options, priority)) priority = options->priority;
        else set &= ~JQ_ENQUEUE_PRIORITY;
        if (JQ_HAS_MEMBER(options, jq_enqueue_options, delay_ms)) delay_ms = options->delay_ms;
        else set &= ~JQ_ENQUEUE_DELAY;
        if (JQ_HAS_MEMBER(options, jq_enqueue_options, max_retries)) max_retries = options->max_retries;
        else set &= ~JQ_ENQUEUE_MAX_RETRIES;
        /* The key is read only when its bit says it is set: an unset pointer may be garbage. */
        if ((set & JQ_ENQUEUE_UNIQUE_KEY) && JQ_HAS_MEMBER(options, jq_enqueue_options, unique_key) && options->unique_key)
            unique_key = options->unique_key;
        else set &= ~JQ_ENQUEUE_UNIQUE_KEY;
        if ((set & JQ_ENQUEUE_UNIQUE_FOR) && JQ_HAS_MEMBER(options, jq_enqueue_options, unique_for_ms))
            unique_for_ms = options->unique_for_ms;
        else set &= ~JQ_ENQUEUE_UNIQUE_FOR;
        set &= JQ_ENQUEUE_PRIORITY | JQ_ENQUEUE_DELAY | JQ_ENQUEUE_MAX_RETRIES | JQ_ENQUEUE_UNIQUE_KEY | JQ_ENQUEUE_UNIQUE_FOR;
        if (set & JQ_ENQUEUE_UNIQUE_KEY) {
            size_t key_len = strnlen(unique_key, JQ_MAX_UNIQUE_KEY_BYTES + 1);
            if (key_len == 0 || key_len > JQ_MAX_UNIQUE_KEY_BYTES) return -1;
        } else {
            set &= ~JQ_ENQUEUE_UNIQUE_FOR;
        }
        if ((set & JQ_ENQUEUE_UNIQUE_FOR) && unique_for_ms == 0) return -1;
    }

    size_t before = state->follow_ups.len;
    jq_buf_put_str(&state->follow_ups, queue_id);
    jq_buf_put_str(&state->follow_ups, topic);
    jq_buf_put_bytes(&state->follow_ups, payload, payload_len);
    jq_buf_put_u32(&state->follow_ups, set);
    jq_buf_put_i32(&state->follow_ups, priority);
    jq_buf_put_u64(&state->follow_ups, delay_ms);
    jq_buf_put_u32(&state->follow_ups, max_retries);
    jq_buf_put_str(&state->follow_ups, unique_key);
    jq_buf_put_u64(&state->follow_ups, unique_for_ms);
    if (state->follow_ups.failed) {
        state->follow_ups.failed = 0;
        state->follow_ups.len = before;
        return -1;
    }
    state->follow_up_count++;
    state->follow_up_bytes += payload_len;
    return 0;
}

/**
 * Passes on what the job wrote to stdout and stderr, as OUTPUT frames on the result pipe, so the
 * host gets each job's output between its BEGIN and its OUTCOME, in order, without any wait.
 * (The server reads these pipes itself only when one fills up during a long job, and at exit.)
 */
static void send_output(uint64_t batch) {
    static uint8_t chunk[65536];
    const int sources[2] = { JQ_CHILD_STDOUT_READ_FD, JQ_CHILD_STDERR_READ_FD };
    const uint8_t streams[2] = { JQ_STREAM_STDOUT, JQ_STREAM_STDERR };
    for (int i = 0; i < 2; i++) {
        /* Bounded, in case something the job started keeps writing. */
        for (int round = 0; round < 64; round++) {
            ssize_t n = read(sources[i], chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            jq_buf frame = {0};
            size_t start = jq_buf_begin_frame(&frame, JQ_EV_OUTPUT);
            jq_buf_put_u64(&frame, batch);
            jq_buf_put_u8(&frame, streams[i]);
            jq_buf_put_bytes(&frame, chunk, (size_t)n);
            jq_buf_end_frame(&frame, start);
            send_frame(&frame);
            jq_buf_free(&frame);
        }
    }
}

static void send_begin(uint64_t batch, uint32_t index) {
    jq_buf frame = {0};
    size_t start = jq_buf_begin_frame(&frame, JQ_EV_BEGIN);
    jq_buf_put_u64(&frame, batch);
    jq_buf_put_u32(&frame, index);
    jq_buf_end_frame(&frame, start);
    send_frame(&frame);
    jq_buf_free(&frame);
}

static void send_outcome(job_state *state, int status) {
    char note[96];
    const void *message = state->message.data;
    size_t message_len = state->message.len;
    if (status < JQ_OK || status > JQ_DISCARD) {
        snprintf(note, sizeof note, "jq_perform returned invalid status %d", status);
        message = note;
        message_len = strlen(note);
        status = JQ_ERROR;
    }
    jq_buf frame = {0};
    size_t start = jq_buf_begin_frame(&frame, JQ_EV_OUTCOME);
    jq_buf_put_u64(&frame, state->batch);
    jq_buf_put_u32(&frame, state->index);
    jq_buf_put_u8(&frame, (uint8_t)status);
    jq_buf_put_bytes(&frame, message, message_len);
    jq_buf_put_u8(&frame, (uint8_t)state->has_result);
    jq_buf_put_bytes(&frame, state->result.data, state->result.len);
    jq_buf_put_u64(&frame, state->snooze_ms);
    jq_buf_put_u32(&frame, state->follow_up_count);
    jq_buf_put_raw(&frame, state->follow_ups.data, state->follow_ups.len);
    jq_buf_end_frame(&frame, start);
    send_frame(&frame);
    jq_buf_free(&frame);
}

static void set_limit(int resource, uint64_t value, uint64_t hard_extra) {
    struct rlimit limit;
    if (getrlimit(resource, &limit) != 0) return;
    rlim_t soft = (rlim_t)value;
    rlim_t hard = soft + (rlim_t)hard_extra;
    if (limit.rlim_max != RLIM_INFINITY && hard > limit.rlim_max) hard = limit.rlim_max;
    if (soft > hard) soft = hard;
    limit.rlim_cur = soft;
    limit.rlim_max = hard;
    setrlimit(resource, &limit);
}

/** Moves `fd` to exactly `target`, close-on-exec (`fd` is >= 64, so never in the way). */
static void place(int fd, int target, int cloexec) {
    if (dup3(fd, target, cloexec ? O_CLOEXEC : 0) < 0) _exit(JQ_CHILD_BROKEN);
}

/** Process-level isolation: group, descriptors, signals, limits, environment. */
static void isolate(const jq_child_limits *limits, pid_t server, const jq_child_pipes *pipes) {
    setpgid(0, 0);
    /* If the server dies (it never should), nobody would collect this batch: die with it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != server) _exit(JQ_CHILD_BROKEN);

    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);

    /* Lift every pipe end out of the way first, then put each in its place: 0 /dev/null,
       1 stdout, 2 stderr, 3 result, 4-5 the output read ends; close everything else. */
    int sources[5] = { pipes->stdout_write, pipes->stderr_write, pipes->result_write,
                       pipes->stdout_read, pipes->stderr_read };
    int lifted[5];
    for (int i = 0; i < 5; i++)
        if ((lifted[i] = fcntl(sources[i], F_DUPFD_CLOEXEC, 64)) < 0) _exit(JQ_CHILD_BROKEN);
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0 || dup2(null_fd, 0) < 0) _exit(JQ_CHILD_BROKEN);
    place(lifted[0], 1, 0);
    place(lifted[1], 2, 0);
    place(lifted[2], JQ_CHILD_RESULT_FD, 1);
    place(lifted[3], JQ_CHILD_STDOUT_READ_FD, 1);
    place(lifted[4], JQ_CHILD_STDERR_READ_FD, 1);
    closefrom(JQ_CHILD_STDERR_READ_FD + 1);
    fcntl(JQ_CHILD_STDOUT_READ_FD, F_SETFL, O_NONBLOCK);
    fcntl(JQ_CHILD_STDERR_READ_FD, F_SETFL, O_NONBLOCK);

    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    if (limits->address_space_bytes) set_limit(RLIMIT_AS, limits->address_space_bytes, 0);
    /* One extra second of hard limit: SIGXCPU first, SIGKILL only if that is ignored. */
    if (limits->cpu_seconds) set_limit(RLIMIT_CPU, limits->cpu_seconds, 1);
    if (limits->open_files) set_limit(RLIMIT_NOFILE, limits->open_files, 0);

    if (!limits->swift_backtraces) setenv("SWIFT_BACKTRACE", "enable=no", 1);
}

_Noreturn void jq_child_main(const jq_run *run, const jq_child_limits *limits, pid_t server,
                             const jq_child_pipes *pipes) {
    isolate(limits, server, pipes);

    job_state state;
    memset(&state, 0, sizeof state);
    state.ctx.size = sizeof(jq_context);
    state.ctx.host = &state;
    state.ctx.set_result = ctx_set_result;
    state.ctx.set_message = ctx_set_message;
    state.ctx.set_snooze = ctx_set_snooze;
    state.ctx.log = ctx_log;
    state.ctx.enqueue = ctx_enqueue;
    state.ctx.progress = ctx_progress;
    state.batch = run->batch;

    for (uint32_t i = 0; i < run->count; i++) {
        const jq_run_job *source = &run->jobs[i];
        jq_job job = {
            .size = sizeof(jq_job),
            .topic = run->plugin->topic,
            .queue_id = source->queue_id,
            .item_id = source->item_id,
            .attempt = source->attempt,
            .payload = source->payload ? source->payload : (const uint8_t *)"",
            .payload_len = source->payload_len,
        };
        state.index = i;
        state.active = 1;
        state.has_result = 0;
        state.snooze_ms = 0;
        state.progress_sent_ms = 0;
        state.follow_up_count = 0;
        state.follow_up_bytes = 0;
        jq_buf_clear(&state.result);
        jq_buf_clear(&state.message);
        jq_buf_clear(&state.follow_ups);

        send_begin(run->batch, i);
        int status = (int)run->plugin->perform(&job, &state.ctx);
        state.active = 0;
        /* Whatever the plugin printed belongs before its outcome. */
        fflush(NULL);
        send_output(run->batch);
        send_outcome(&state, status);
    }
    _exit(0);
}
