/* batches.c — see batches.h. */
#define _GNU_SOURCE
#include "batches.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buffer.h"
#include "io.h"
#include "protocol.h"

enum { PIPE_STDOUT, PIPE_STDERR, PIPE_RESULT, PIPE_COUNT };

/** Output waiting in a child's stdout/stderr pipe beyond which the server reads it itself. */
#define RELIEVE_THRESHOLD (16 * 1024)

typedef struct batch {
    uint64_t id;
    pid_t pid;
    /** Read ends; -1 once closed. */
    int fds[PIPE_COUNT];
    /** Bytes from the result pipe not yet forming a whole frame. */
    jq_buf pending;
} batch;

static batch **batches;
static size_t batch_count;

static void send_to_host(jq_buf *frame) {
    /* A vanished host is noticed on the command pipe; nothing to do here. */
    (void)jq_write_buf(STDOUT_FILENO, frame);
}

static batch *find(uint64_t id) {
    for (size_t i = 0; i < batch_count; i++)
        if (batches[i]->id == id) return batches[i];
    return NULL;
}

static void close_pipe(batch *b, int which) {
    if (b->fds[which] >= 0) close(b->fds[which]);
    b->fds[which] = -1;
}

int jq_batches_start(const jq_run *run, const jq_child_limits *limits) {
    batch **grown = realloc(batches, (batch_count + 1) * sizeof *batches);
    if (!grown) return -1;
    batches = grown;
    batch *b = calloc(1, sizeof *b);
    if (!b) return -1;

    int pipes[PIPE_COUNT][2];
    int made = 0;
    for (; made < PIPE_COUNT; made++)
        if (pipe2(pipes[made], O_CLOEXEC) != 0) break;
    pid_t server = getpid();
    pid_t pid = made == PIPE_COUNT ? fork() : -1;
    if (pid == 0) {
        jq_child_pipes ends = {
            .stdout_write = pipes[PIPE_STDOUT][1], .stderr_write = pipes[PIPE_STDERR][1],
            .result_write = pipes[PIPE_RESULT][1],
            .stdout_read = pipes[PIPE_STDOUT][0], .stderr_read = pipes[PIPE_STDERR][0],
        };
        jq_child_main(run, limits, server, &ends);
    }
    int saved = errno;
    for (int i = 0; i < made; i++) close(pipes[i][1]);
    if (pid < 0) {
        for (int i = 0; i < made; i++) close(pipes[i][0]);
        free(b);
        errno = saved;
        return -1;
    }

    /* Also from here, so a KILL arriving before the child ran setpgid still finds the group. */
    setpgid(pid, pid);
    b->id = run->batch;
    b->pid = pid;
    for (int i = 0; i < PIPE_COUNT; i++) {
        b->fds[i] = pipes[i][0];
        fcntl(b->fds[i], F_SETFL, O_NONBLOCK);
    }
    batches[batch_count++] = b;

    jq_buf frame = {0};
    size_t start = jq_buf_begin_frame(&frame, JQ_EV_STARTED);
    jq_buf_put_u64(&frame, b->id);
    jq_buf_put_u32(&frame, (uint32_t)pid);
    jq_buf_end_frame(&frame, start);
    send_to_host(&frame);
    jq_buf_free(&frame);
    return 0;
}

void jq_batches_kill(uint64_t id) {
    batch *b = find(id);
    if (b) kill(-b->pid, SIGKILL);
}

void jq_batches_kill_all(void) {
    for (size_t i = 0; i < batch_count; i++) kill(-batches[i]->pid, SIGKILL);
}

size_t jq_batches_running(void) { return batch_count; }

size_t jq_batches_pollfd_capacity(void) { return batch_count; }

size_t jq_batches_pollfds(struct pollfd *fds, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < batch_count; i++)
        if (batches[i]->fds[PIPE_RESULT] >= 0 && n < max)
            fds[n++] = (struct pollfd){ .fd = batches[i]->fds[PIPE_RESULT], .events = POLLIN };
    return n;
}

/** Checks that a frame from the child is one it may send, about its own batch. */
static int valid_child_frame(const batch *b, const uint8_t *frame, uint32_t length) {
    if (length < 1 + 8) return 0;
    uint8_t type = frame[4];
    if (type != JQ_EV_BEGIN && type != JQ_EV_OUTCOME && type != JQ_EV_LOG && type != JQ_EV_OUTPUT &&
        type != JQ_EV_PROGRESS)
        return 0;
    jq_reader r = { frame + 5, length - 1, 0 };
    return jq_rd_u64(&r) == b->id;
}

/**
 * Forwards every whole frame in `pending` (with one write: a child's frames often come in runs);
 * a malformed frame gets the child killed.
 */
static void forward_frames(batch *b) {
    size_t used = 0;
    int bad = 0;
    while (b->pending.len - used >= 4) {
        const uint8_t *frame = b->pending.data + used;
        uint32_t length = jq_load_u32(frame);
        bad = length > JQ_MAX_CHILD_FRAME || length < 1 + 8;
        if (!bad && b->pending.len - used < 4 + (size_t)length) break;
        if (bad || (bad = !valid_child_frame(b, frame, length))) break;
        used += 4 + (size_t)length;
    }
    (void)jq_write_all(STDOUT_FILENO, b->pending.data, used);
    jq_buf_consume(&b->pending, used);
    if (bad) {
        fprintf(stderr, "jobqueue-forkserver: batch %llu sent a malformed frame; killing it\n",
                (unsigned long long)b->id);
        kill(-b->pid, SIGKILL);
        close_pipe(b, PIPE_RESULT);
        jq_buf_free(&b->pending);
    }
}

static void send_output(batch *b, int which, const uint8_t *data, size_t n) {
    jq_buf frame = {0};
    size_t start = jq_buf_begin_frame(&frame, JQ_EV_OUTPUT);
    jq_buf_put_u64(&frame, b->id);
    jq_buf_put_u8(&frame, which == PIPE_STDOUT ? JQ_STREAM_STDOUT : JQ_STREAM_STDERR);
    jq_buf_put_bytes(&frame, data, n);
    jq_buf_end_frame(&frame, start);
    send_to_host(&frame);
    jq_buf_free(&frame);
}

/**
 * Reads what pipe `which` holds now and passes it on; closes the pipe at end of file. Frames from
 * the result pipe are forwarded whole; output becomes OUTPUT events. Reads at most 4 MiB per call,
 * so that a process writing without pause cannot keep the server here (poll calls again).
 */
static void read_pipe(batch *b, int which) {
    uint8_t chunk[65536];
    for (int round = 0; round < 64 && b->fds[which] >= 0; round++) {
        ssize_t n = read(b->fds[which], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) { close_pipe(b, which); return; }
        if (which != PIPE_RESULT) {
            send_output(b, which, chunk, (size_t)n);
            continue;
        }
        jq_buf_put_raw(&b->pending, chunk, (size_t)n);
        if (b->pending.failed) {
            fprintf(stderr, "jobqueue-forkserver: out of memory reading batch %llu\n",
                    (unsigned long long)b->id);
            kill(-b->pid, SIGKILL);
            close_pipe(b, PIPE_RESULT);
            return;
        }
        forward_frames(b);
    }
}

void jq_batches_handle(const struct pollfd *fds, size_t count) {
    for (size_t i = 0; i < count; i++) {
        if (!fds[i].revents) continue;
        for (size_t j = 0; j < batch_count; j++)
            if (batches[j]->fds[PIPE_RESULT] == fds[i].fd) read_pipe(batches[j], PIPE_RESULT);
    }
}

void jq_batches_relieve(void) {
    for (size_t i = 0; i < batch_count; i++) {
        batch *b = batches[i];
        for (int p = PIPE_STDOUT; p <= PIPE_STDERR; p++) {
            int unread = 0;
            if (b->fds[p] < 0 || ioctl(b->fds[p], FIONREAD, &unread) != 0 ||
                unread < RELIEVE_THRESHOLD)
                continue;
            /* Results first: a BEGIN written before this output goes out before it. */
            read_pipe(b, PIPE_RESULT);
            read_pipe(b, p);
        }
    }
}

static void finish(size_t index, int wait_status) {
    batch *b = batches[index];
    /* The child is gone, so everything it wrote is in the pipes now: take it (results first, so
       output left by a crash follows the BEGIN of the job that crashed), then stop listening (a
       grandchild that escaped the group may still hold a write end). */
    read_pipe(b, PIPE_RESULT);
    read_pipe(b, PIPE_STDOUT);
    read_pipe(b, PIPE_STDERR);
    for (int p = 0; p < PIPE_COUNT; p++) close_pipe(b, p);

    jq_buf frame = {0};
    size_t start = jq_buf_begin_frame(&frame, JQ_EV_EXITED);
    jq_buf_put_u64(&frame, b->id);
    jq_buf_put_i32(&frame, wait_status);
    jq_buf_end_frame(&frame, start);
    send_to_host(&frame);
    jq_buf_free(&frame);

    jq_buf_free(&b->pending);
    free(b);
    batches[index] = batches[--batch_count];
}

void jq_batches_reap(void) {
    for (;;) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        /* Peek first: while the child is a zombie its pid cannot be reused, so killing what is
           left of its process group (processes the plugin started) is safe. */
        if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) return;
        pid_t pid = info.si_pid;
        kill(-pid, SIGKILL);
        int status = 0;
        if (waitpid(pid, &status, 0) < 0) continue;
        for (size_t i = 0; i < batch_count; i++)
            if (batches[i]->pid == pid) { finish(i, status); break; }
    }
}
