/*
 * SandboxProbeWorker — test fixture: tries, in jq_init and again in jq_perform, what a topic's
 * sandbox forbids, and reports what happened as the job's result:
 *
 *   init{connect=ok write=ok read=ok setuid=0 net=net:[4026531840] grab=ok userns=ok/ok} perform{connect=EACCES ...}
 *
 * Each probe says `ok` or the errno's name; `setuid` says the effective uid the setuid binary
 * ran with (0 when it gained root) or why it could not run; `net` names the process's network
 * namespace; `grab` says whether it could take a descriptor of another process (pidfd_getfd, as
 * a debugger could); `userns` whether it could make a user namespace, with unshare and with clone. Config (found by plain text search, this is a fixture): "connect":
 * "127.0.0.1:PORT", "write": "PATH" (appended to), "read": "PATH", "setuid": "PATH" (a
 * setuid-root copy of `id`, run as `PATH -u`), "grab": "PID" (a process of the plugin's user).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "jobqueue_plugin.h"

static char connect_to[256], write_path[1024], read_path[1024], setuid_path[1024], grab_pid[32];
static char init_report[600];

uint32_t jq_abi_version(void) { return JQ_ABI_VERSION; }

/** Copies the string value of "key" in `json` into `out` (empty if absent). */
static void setting(const char *json, const char *key, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = strstr(json, pattern);
    out[0] = 0;
    if (!start) return;
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    if (!end || (size_t)(end - start) >= size) return;
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = 0;
}

static const char *outcome(int failed) { return failed ? strerrorname_np(errno) : "ok"; }

static const char *try_connect(void) {
    char host[256];
    snprintf(host, sizeof host, "%s", connect_to);
    char *colon = strrchr(host, ':');
    if (!colon) return "unset";
    *colon = 0;
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1)) };
    inet_pton(AF_INET, host, &address.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return outcome(1);
    int failed = connect(fd, (struct sockaddr *)&address, sizeof address) != 0;
    const char *result = outcome(failed);
    close(fd);
    return result;
}

static const char *try_write(void) {
    int fd = open(write_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return outcome(1);
    int failed = write(fd, "probe\n", 6) != 6;
    const char *result = outcome(failed);
    close(fd);
    return result;
}

static const char *try_read(void) {
    int fd = open(read_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return outcome(1);
    char byte;
    int failed = read(fd, &byte, 1) < 0;
    const char *result = outcome(failed);
    close(fd);
    return result;
}

/** Runs the setuid binary; writes the effective uid it printed, or why it did not run. */
static void try_setuid(char *out, size_t size) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) { snprintf(out, size, "%s", outcome(1)); return; }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        char *argv[] = { setuid_path, "-u", NULL };
        char *envp[] = { NULL };
        execve(setuid_path, argv, envp);
        dprintf(STDOUT_FILENO, "%s", strerrorname_np(errno));
        _exit(127);
    }
    close(pipe_fds[1]);
    char text[64] = {0};
    ssize_t n = pid < 0 ? -1 : read(pipe_fds[0], text, sizeof text - 1);
    close(pipe_fds[0]);
    if (pid > 0) waitpid(pid, NULL, 0);
    if (n > 0 && text[n - 1] == '\n') text[n - 1] = 0;
    snprintf(out, size, "%s", n > 0 ? text : "no-output");
}

static const char *try_grab(void) {
    int pidfd = (int)syscall(SYS_pidfd_open, atoi(grab_pid), 0);
    if (pidfd < 0) return outcome(1);
    int fd = (int)syscall(SYS_pidfd_getfd, pidfd, 0, 0);
    const char *result = outcome(fd < 0);
    if (fd >= 0) close(fd);
    close(pidfd);
    return result;
}

/** Makes a user namespace in a child (the caller's own namespaces stay as they are), with unshare
 * and then with a raw clone: "ok" or the errno's name of each, e.g. "EPERM/EPERM". */
static void try_userns(char *out, size_t size) {
    const char *results[2];
    for (int how = 0; how < 2; how++) {
        pid_t pid = fork();
        if (pid == 0) {
            if (how == 0) _exit(unshare(CLONE_NEWUSER) == 0 ? 0 : errno);
            long inner = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
            if (inner == 0) _exit(0);
            if (inner < 0) _exit(errno);
            waitpid((pid_t)inner, NULL, 0);
            _exit(0);
        }
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
            results[how] = "failed";
        } else {
            errno = WEXITSTATUS(status);
            results[how] = outcome(errno != 0);
        }
    }
    snprintf(out, size, "%s/%s", results[0], results[1]);
}

static void probe(char *out, size_t size) {
    char setuid_result[64];
    try_setuid(setuid_result, sizeof setuid_result);
    const char *connected = try_connect();
    const char *written = try_write();
    char net[64] = "unknown";
    ssize_t n = readlink("/proc/self/ns/net", net, sizeof net - 1);
    net[n > 0 ? n : 7] = 0;
    const char *read_result = try_read();
    const char *grabbed = try_grab();
    char userns[64];
    try_userns(userns, sizeof userns);
    snprintf(out, size, "connect=%s write=%s read=%s setuid=%s net=%s grab=%s userns=%s", connected, written, read_result, setuid_result, net,
             grabbed, userns);
}

int jq_init(const char *config_json, char *error, size_t error_size) {
    (void)error;
    (void)error_size;
    setting(config_json, "connect", connect_to, sizeof connect_to);
    setting(config_json, "write", write_path, sizeof write_path);
    setting(config_json, "read", read_path, sizeof read_path);
    setting(config_json, "setuid", setuid_path, sizeof setuid_path);
    setting(config_json, "grab", grab_pid, sizeof grab_pid);
    probe(init_report, sizeof init_report);
    return 0;
}

jq_status jq_perform(const jq_job *job, jq_context *ctx) {
    (void)job;
    char report[600], text[1300];
    probe(report, sizeof report);
    snprintf(text, sizeof text, "init{%s} perform{%s}", init_report, report);
    return ctx->set_result(ctx, (const uint8_t *)text, strlen(text)) == 0 ? JQ_OK : JQ_ERROR;
}
