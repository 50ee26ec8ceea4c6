/* sandbox.c — see sandbox.h. */
#define _GNU_SOURCE
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Rights newer than the oldest kernel headers this builds with. */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

#define READ_RIGHTS (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define WRITE_RIGHTS_V1                                                                            \
    (LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE | \
     LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |       \
     LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |    \
     LANDLOCK_ACCESS_FS_MAKE_SYM)
/* The rights a rule on a file (not a folder) may carry. */
#define FILE_RIGHTS                                                                                \
    (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |    \
     LANDLOCK_ACCESS_FS_TRUNCATE)

enum { MAX_PATHS = 64 };

static struct {
    /** A topic with a `sandbox:` (else only no_new_privs applies). */
    int requested;
    int network_off;
    int network_isolated;
    unsigned landlock_abi;
    int writable_count, readable_count;
    char *writable[MAX_PATHS];
    char *readable[MAX_PATHS];
} request = { .landlock_abi = 1 };

static int fail(char *error, size_t size, const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(error, size, format, args);
    va_end(args);
    return -1;
}

int jq_sandbox_prepare(char *error, size_t size) {
    const char *text = getenv("JOBQUEUE_SANDBOX");
    if (!text) return 0;
    request.requested = 1;
    char *copy = strdup(text);
    unsetenv("JOBQUEUE_SANDBOX");
    if (!copy) return fail(error, size, "out of memory");
    int result = 0;
    char *saved = NULL;
    for (char *line = strtok_r(copy, "\n", &saved); line && result == 0; line = strtok_r(NULL, "\n", &saved)) {
        char *value = strchr(line, ' ');
        if (!value) { result = fail(error, size, "malformed sandbox request: %.100s", line); break; }
        *value++ = 0;
        if (strcmp(line, "network") == 0 && strcmp(value, "off") == 0) {
            request.network_off = 1;
        } else if (strcmp(line, "landlock") == 0) {
            request.landlock_abi = (unsigned)strtoul(value, NULL, 10);
        } else if (strcmp(line, "writable") == 0 || strcmp(line, "readable") == 0) {
            int writable = line[0] == 'w';
            int *count = writable ? &request.writable_count : &request.readable_count;
            if (*count == MAX_PATHS) { result = fail(error, size, "more than %d %s paths", MAX_PATHS, line); break; }
            char *path = strdup(value);
            if (!path) { result = fail(error, size, "out of memory"); break; }
            (writable ? request.writable : request.readable)[(*count)++] = path;
        } else {
            result = fail(error, size, "malformed sandbox request: %.100s", line);
        }
    }
    free(copy);
    return result;
}

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

int jq_sandbox_enter_as_root(char *error, size_t size) {
    if (!request.network_off || geteuid() != 0) return 0;
    if (unshare(CLONE_NEWNET) != 0) return fail(error, size, "network: false: cannot make a network namespace: %s", strerror(errno));
    request.network_isolated = 1;
    return 0;
}

/* Not root: a user namespace of its own, where the process keeps its uid and gid, holding a
 * network namespace (the capabilities it gives are dropped with the others). */
static int isolate_network_unprivileged(char *error, size_t size) {
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0)
        return fail(error, size,
                    "network: false: cannot make a user and network namespace (%s); allow "
                    "unprivileged user namespaces (under systemd: RestrictNamespaces=user net)",
                    strerror(errno));
    char map[64];
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
    if (write_file("/proc/self/uid_map", map) != 0 || write_file("/proc/self/setgroups", "deny") != 0)
        return fail(error, size, "network: false: cannot map the user namespace: %s", strerror(errno));
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
    if (write_file("/proc/self/gid_map", map) != 0)
        return fail(error, size, "network: false: cannot map the user namespace: %s", strerror(errno));
    return 0;
}

#if defined(__x86_64__)
#define JQ_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define JQ_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* The system-call filter of a sandboxed topic: no reaching into other processes (ptrace,
 * process_vm_*, pidfd_getfd: EPERM), no new namespaces (unshare, setns, and clone with a
 * namespace flag: EPERM; clone3, whose flags a filter cannot read: ENOSYS, so that the C library
 * falls back to clone), which would hand the plugin capabilities in a user namespace of its own
 * and the kernel code behind them, and, with the network off, no sockets (socket, socketpair,
 * io_uring_setup: EACCES). System calls of another ABI (x32, i386) get ENOSYS, so that none of
 * them reaches around the filter. */
#ifdef JQ_AUDIT_ARCH
struct refusal { unsigned nr; unsigned errno_value; };

/* Appends to `filter` at `n` a check per system call of `refused`; returns the new length. */
static size_t add_refusals(struct sock_filter *filter, size_t n, const struct refusal *refused, size_t count) {
    for (size_t i = 0; i < count; i++) {
        filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, refused[i].nr, 0, 1);
        filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | refused[i].errno_value);
    }
    return n;
}
#endif

static int install_filter(char *error, size_t size) {
#ifdef JQ_AUDIT_ARCH
    static const struct refusal always[] = {
        { SYS_ptrace, EPERM }, { SYS_process_vm_readv, EPERM }, { SYS_process_vm_writev, EPERM }, { SYS_pidfd_getfd, EPERM },
        { SYS_unshare, EPERM }, { SYS_setns, EPERM }, { SYS_clone3, ENOSYS },
    };
    static const struct refusal without_network[] = { { SYS_socket, EACCES }, { SYS_socketpair, EACCES }, { SYS_io_uring_setup, EACCES } };
    const unsigned namespaces = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;
    struct sock_filter filter[6 + 2 * (sizeof always / sizeof always[0] + sizeof without_network / sizeof without_network[0]) + 5];
    size_t n = 0;
    filter[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, JQ_AUDIT_ARCH, 1, 0);
    filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
    filter[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);
    filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
    n = add_refusals(filter, n, always, sizeof always / sizeof always[0]);
    if (request.network_off) n = add_refusals(filter, n, without_network, sizeof without_network / sizeof without_network[0]);
    /* clone: refused with any namespace flag (in the low word of its first argument, which comes
     * first on these little-endian architectures). */
    filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3);
    filter[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
    filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, namespaces, 0, 1);
    filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
    filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog program = { .len = (unsigned short)n, .filter = filter };
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0)
        return fail(error, size, "cannot install the system-call filter: %s", strerror(errno));
    return 0;
#else
    return fail(error, size, "no system-call filter for this architecture");
#endif
}

/* A sandboxed plugin that runs as root keeps its uid but no capability, now or after an exec. */
static int drop_capabilities(char *error, size_t size) {
    for (int capability = 0; capability <= 63; capability++)
        if (prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0 && errno != EINVAL)
            return fail(error, size, "cannot drop capability %d: %s", capability, strerror(errno));
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct none[2];
    memset(none, 0, sizeof none);
    if (syscall(SYS_capset, &header, none) != 0) return fail(error, size, "cannot drop capabilities: %s", strerror(errno));
    return 0;
}

static int landlock_abi(void) {
    return (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
}

/* Allows `rights` beneath `path` (or on it, for a file). */
static int allow(int ruleset, const char *path, uint64_t rights, const char *kind, char *error, size_t size) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return fail(error, size, "%s %s: %s", kind, path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode)) rights &= FILE_RIGHTS;
    struct landlock_path_beneath_attr rule = { .allowed_access = rights, .parent_fd = fd };
    int result = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
    int saved = errno;
    close(fd);
    if (result != 0) return fail(error, size, "%s %s: Landlock refused the rule: %s", kind, path, strerror(saved));
    return 0;
}

static int restrict_files(char *error, size_t size) {
    int paths = request.writable_count + request.readable_count;
    if (paths == 0 && request.landlock_abi <= 1) return 0;
    int abi = landlock_abi();
    if (abi < 0)
        return fail(error, size, "writable/readable need Landlock, which this kernel does not offer (%s)",
                    errno == EOPNOTSUPP ? "disabled at boot: add landlock to lsm=" : strerror(errno));
    if ((unsigned)abi < request.landlock_abi)
        return fail(error, size, "the topic asks for Landlock ABI %u; this kernel offers %d", request.landlock_abi, abi);
    if (paths == 0) return 0;

    uint64_t write_rights = WRITE_RIGHTS_V1 | (abi >= 2 ? LANDLOCK_ACCESS_FS_REFER : 0) |
                            (abi >= 3 ? LANDLOCK_ACCESS_FS_TRUNCATE : 0);
    uint64_t handled = (request.writable_count ? write_rights : 0) | (request.readable_count ? READ_RIGHTS : 0);
    struct landlock_ruleset_attr attributes = { .handled_access_fs = handled };
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attributes, sizeof attributes, 0);
    if (ruleset < 0) return fail(error, size, "cannot create a Landlock ruleset: %s", strerror(errno));
    int result = 0;
    for (int i = 0; i < request.writable_count && result == 0; i++)
        result = allow(ruleset, request.writable[i], handled, "writable", error, size);
    for (int i = 0; i < request.readable_count && result == 0; i++)
        result = allow(ruleset, request.readable[i], READ_RIGHTS, "readable", error, size);
    if (result == 0 && syscall(SYS_landlock_restrict_self, ruleset, 0) != 0)
        result = fail(error, size, "cannot enforce the Landlock ruleset: %s", strerror(errno));
    close(ruleset);
    return result;
}

int jq_sandbox_enter(char *error, size_t size) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return fail(error, size, "cannot set no_new_privs: %s", strerror(errno));
    if (!request.requested) return 0;
    /* A process that is neither root nor in a user namespace of its own has no capability to
     * drop (and, with no new privileges, gains none). */
    int capable = geteuid() == 0;
    if (request.network_off && !request.network_isolated) {
        if (isolate_network_unprivileged(error, size) != 0) return -1;
        capable = 1;
    }
    if (capable && drop_capabilities(error, size) != 0) return -1;
    if (install_filter(error, size) != 0) return -1;
    return restrict_files(error, size);
}
