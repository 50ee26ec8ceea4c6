/*
 * sandbox.h — confines this fork server, and so every child it forks, before any plugin is
 * loaded: plugin code (its constructors and jq_init included) never runs outside the sandbox.
 *
 * Always: PR_SET_NO_NEW_PRIVS (a setuid binary a plugin runs gains nothing). For a topic with a
 * sandbox (the host's `JOBQUEUE_SANDBOX` variable, one `word value` per line): a system-call
 * filter refusing ptrace, process_vm_* and pidfd_getfd (no reaching into other processes), no
 * capabilities when it runs as root, and what the lines ask:
 *   network off   a network namespace of its own (no interface up), and the filter also refuses
 *                 socket(), socketpair() and io_uring: no socket beyond the pipes the host gave;
 *   writable PATH Landlock: writes only beneath these paths;
 *   readable PATH Landlock: reads only beneath these paths (and the writable ones);
 *   landlock N    the lowest Landlock ABI the topic accepts (default 1).
 * Never silently weaker: what the kernel cannot enforce is an error, and the host then refuses
 * the topic's plugin.
 */
#ifndef JQ_FORKSERVER_SANDBOX_H
#define JQ_FORKSERVER_SANDBOX_H

#include <stddef.h>

/**
 * Reads what is asked for from the environment (and unsets it). Returns 0, or -1 with a one-line
 * reason in `error` for a malformed request. Call first, while the process may still be root.
 */
int jq_sandbox_prepare(char *error, size_t size);

/**
 * The part that needs root, before privileges are dropped: the network namespace, when the
 * process is root. Returns 0, or -1 with a reason in `error`.
 */
int jq_sandbox_enter_as_root(char *error, size_t size);

/**
 * Everything else, after privileges are dropped: no new privileges; for a sandbox, a user and
 * network namespace when the network is off and the process is not root (it keeps its uid),
 * no capabilities, the system-call filter, Landlock. Returns 0, or -1 with a reason in `error`.
 */
int jq_sandbox_enter(char *error, size_t size);

#endif
