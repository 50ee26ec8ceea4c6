/*
 * jobqueue-forkserver — the single-threaded process that loads worker plugins once and forks one
 * child per batch, so that the multi-threaded host never has to fork and a crashing or hanging
 * plugin only ever takes a child down. The host spawns it with posix_spawn; protocol.h describes
 * the pipes and messages.
 *
 * Everything happens on this one thread, in a poll() loop over the command pipe, a signalfd for
 * SIGCHLD and the pipes of running children. Keep it that way, and keep it small: fork copies
 * the page tables, so each MB this process holds costs every batch ~30 µs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "batches.h"
#include "buffer.h"
#include "child.h"
#include "io.h"
#include "plugins.h"
#include "protocol.h"
#include "sandbox.h"

static jq_child_limits limits;
static int shutting_down;
/** Why the sandbox could not be entered; then every plugin is refused with it. */
static char sandbox_error[600];

static void die(const char *what) {
    fprintf(stderr, "jobqueue-forkserver: %s\n", what);
    jq_batches_kill_all();
    exit(2);
}

static void send_rejected(uint64_t batch, const char *message) {
    jq_buf frame = {0};
    size_t start = jq_buf_begin_frame(&frame, JQ_EV_REJECTED);
    jq_buf_put_u64(&frame, batch);
    jq_buf_put_str(&frame, message);
    jq_buf_end_frame(&frame, start);
    (void)jq_write_buf(STDOUT_FILENO, &frame);
    jq_buf_free(&frame);
}

static void handle_load(jq_reader *r) {
    limits.address_space_bytes = jq_rd_u64(r);
    limits.cpu_seconds = jq_rd_u64(r);
    limits.open_files = jq_rd_u64(r);
    limits.swift_backtraces = (jq_rd_u8(r) & JQ_LOAD_SWIFT_BACKTRACES) != 0;
    /* The Swift runtime reads this when it is first loaded, i.e. with the first Swift plugin. */
    if (!limits.swift_backtraces) setenv("SWIFT_BACKTRACE", "enable=no", 1);

    uint32_t count = jq_rd_u32(r);
    jq_buf reply = {0};
    size_t start = jq_buf_begin_frame(&reply, JQ_EV_LOADED);
    jq_buf_put_u32(&reply, count);
    for (uint32_t i = 0; i < count && !r->failed; i++) {
        char *topic = jq_rd_strdup(r);
        char *path = jq_rd_strdup(r);
        char *config = jq_rd_strdup(r);
        if (r->failed) {
            free(topic);
            free(path);
            free(config);
            break;
        }
        char error[1200] = {0};
        const jq_plugin *plugin = NULL;
        if (sandbox_error[0])
            snprintf(error, sizeof error, "sandbox: %s", sandbox_error);
        else
            plugin = jq_plugins_load(topic, path, config, error, sizeof error);
        /* Loaded: the message is a notice, or empty. A newer minor version is compatible, but what
         * it added is not there. */
        if (plugin && (plugin->abi_version & 0xffffu) > JQ_ABI_VERSION_MINOR)
            snprintf(error, sizeof error,
                     "built against ABI %u.%u, newer than this host's %u.%u: what %u.%u added is "
                     "unavailable",
                     plugin->abi_version >> 16, plugin->abi_version & 0xffffu, JQ_ABI_VERSION_MAJOR,
                     JQ_ABI_VERSION_MINOR, plugin->abi_version >> 16, plugin->abi_version & 0xffffu);
        else if (plugin)
            error[0] = 0;
        jq_buf_put_str(&reply, topic);
        jq_buf_put_u8(&reply, plugin != NULL);
        jq_buf_put_str(&reply, error);
        free(topic);
        free(path);
        free(config);
    }
    if (r->failed) die("malformed LOAD command");
    jq_buf_end_frame(&reply, start);
    (void)jq_write_buf(STDOUT_FILENO, &reply);
    jq_buf_free(&reply);
}

static void handle_run(jq_reader *r) {
    jq_run run = {0};
    run.batch = jq_rd_u64(r);
    char *topic = jq_rd_strdup(r);
    run.count = jq_rd_u32(r);
    if (r->failed || run.count > r->left / 20) die("malformed RUN command");
    run.jobs = calloc(run.count ? run.count : 1, sizeof *run.jobs);
    if (!run.jobs) die("out of memory");
    for (uint32_t i = 0; i < run.count && !r->failed; i++) {
        run.jobs[i].item_id = jq_rd_u64(r);
        run.jobs[i].queue_id = jq_rd_strdup(r);
        run.jobs[i].attempt = jq_rd_u32(r);
        run.jobs[i].payload = jq_rd_bytes(r, &run.jobs[i].payload_len);
    }
    if (r->failed) die("malformed RUN command");

    run.plugin = jq_plugins_find(topic);
    if (shutting_down) {
        send_rejected(run.batch, "the fork server is shutting down");
    } else if (!run.plugin) {
        char message[300];
        snprintf(message, sizeof message, "no plugin is loaded for topic %.200s", topic);
        send_rejected(run.batch, message);
    } else if (jq_batches_start(&run, &limits) != 0) {
        char message[200];
        snprintf(message, sizeof message, "cannot fork the batch's child: %s", strerror(errno));
        send_rejected(run.batch, message);
    }
    for (uint32_t i = 0; i < run.count; i++) free(run.jobs[i].queue_id);
    free(run.jobs);
    free(topic);
}

/** Runs every whole command in `input` and drops it from the buffer. */
static void handle_commands(jq_buf *input) {
    size_t used = 0;
    while (input->len - used >= 4) {
        uint32_t length = jq_load_u32(input->data + used);
        if (length < 1 || length > JQ_MAX_COMMAND_FRAME) die("malformed command frame");
        if (input->len - used < 4 + (size_t)length) break;
        jq_reader r = { input->data + used + 5, length - 1, 0 };
        switch (input->data[used + 4]) {
        case JQ_CMD_LOAD: handle_load(&r); break;
        case JQ_CMD_RUN: handle_run(&r); break;
        case JQ_CMD_KILL: jq_batches_kill(jq_rd_u64(&r)); break;
        case JQ_CMD_SHUTDOWN: shutting_down = 1; break;
        default: die("unknown command type");
        }
        used += 4 + (size_t)length;
    }
    jq_buf_consume(input, used);
}

/** Makes sure 0..2 exist (so pipes never land there) and nothing else is inherited. */
static void tidy_descriptors(void) {
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd) exit(2);
    closefrom(3);
}

/* If the host asks for it (it runs as root and `children.user` is set), give up root before
 * any plugin is loaded: plugin code, jq_init included, never runs with the host's privileges. */
static void drop_privileges(void) {
    const char *run_as = getenv("JOBQUEUE_RUN_AS");
    if (!run_as) return;
    unsigned long uid = 0, gid = 0;
    if (sscanf(run_as, "%lu:%lu", &uid, &gid) != 2) die("malformed JOBQUEUE_RUN_AS");
    if (setgroups(0, NULL) != 0 || setgid((gid_t)gid) != 0 || setuid((uid_t)uid) != 0)
        die("cannot switch to the children's user (the host must run as root)");
    if (getuid() != (uid_t)uid || geteuid() != (uid_t)uid || setuid(0) == 0) die("privileges were not dropped");
    unsetenv("JOBQUEUE_RUN_AS");
}

/* This process ends with its host, also while a plugin's jq_init hangs (then the command pipe's
 * end of file is never read). The host spawns it from a thread that lives as long as this
 * process, since the parent-death signal follows the spawning thread. Set after dropping
 * privileges, which clears it. */
static void follow_host(void) {
    const char *host = getenv("JOBQUEUE_HOST_PID");
    if (!host) return;
    pid_t expected = (pid_t)strtol(host, NULL, 10);
    unsetenv("JOBQUEUE_HOST_PID");
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("cannot follow the host (prctl)");
    if (getppid() != expected) exit(0); /* the host is already gone */
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--inspect") == 0) return jq_plugins_inspect(argv[2]);
    tidy_descriptors();
    (void)jq_thread_count(); /* opens /proc/self/task while the sandbox still allows it */
    int ready = jq_sandbox_prepare(sandbox_error, sizeof sandbox_error) == 0 &&
                jq_sandbox_enter_as_root(sandbox_error, sizeof sandbox_error) == 0;
    drop_privileges();
    if (ready) (void)jq_sandbox_enter(sandbox_error, sizeof sandbox_error);
    follow_host();
    signal(SIGPIPE, SIG_IGN);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int signal_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signal_fd < 0) die("signalfd failed");
    fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);

    jq_buf input = {0};
    int host_gone = 0;
    struct pollfd *fds = NULL;
    size_t fds_cap = 0;

    while (!(shutting_down && jq_batches_running() == 0)) {
        size_t need = 2 + jq_batches_pollfd_capacity();
        if (need > fds_cap) {
            struct pollfd *grown = realloc(fds, need * sizeof *fds);
            if (!grown) die("out of memory");
            fds = grown;
            fds_cap = need;
        }
        fds[0] = (struct pollfd){ .fd = host_gone ? -1 : STDIN_FILENO, .events = POLLIN };
        fds[1] = (struct pollfd){ .fd = signal_fd, .events = POLLIN };
        size_t count = 2 + jq_batches_pollfds(fds + 2, fds_cap - 2);

        int timeout = jq_batches_running() ? JQ_RELIEVE_INTERVAL_MS : -1;
        if (poll(fds, count, timeout) < 0) {
            if (errno == EINTR) continue;
            die("poll failed");
        }
        jq_batches_handle(fds + 2, count - 2);
        jq_batches_relieve();
        if (fds[1].revents) {
            struct signalfd_siginfo info;
            while (read(signal_fd, &info, sizeof info) > 0) {}
            jq_batches_reap();
        }
        if (fds[0].revents) {
            uint8_t chunk[65536];
            ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
            if (n > 0) {
                jq_buf_put_raw(&input, chunk, (size_t)n);
                if (input.failed) die("out of memory");
                handle_commands(&input);
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                /* The host is gone: nobody will collect outcomes, so stop the work now. */
                host_gone = 1;
                shutting_down = 1;
                jq_batches_kill_all();
            }
        }
    }
    jq_plugins_shutdown_all();
    return 0;
}
