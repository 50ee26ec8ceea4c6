/*
 * batches.h — the server's side of running batches: fork a child per RUN, read its stdout, stderr
 * and result pipes, forward what it says to the host, reap it and report EXITED last.
 */
#ifndef JQ_FORKSERVER_BATCHES_H
#define JQ_FORKSERVER_BATCHES_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include "child.h"

/** Forks the child of `run`. Sends STARTED, or returns -1 with errno when fork or pipe failed. */
int jq_batches_start(const jq_run *run, const jq_child_limits *limits);

/** SIGKILLs the process group of batch `id`, if it is still running. */
void jq_batches_kill(uint64_t id);

/** SIGKILLs every running batch. */
void jq_batches_kill_all(void);

/** Number of batches whose EXITED has not been sent yet. */
size_t jq_batches_running(void);

/**
 * Appends a pollfd for the result pipe of every batch to `fds` (capacity `max`), and returns how
 * many it added. Pass the same array to jq_batches_handle after poll().
 *
 * A child's stdout and stderr are not polled: the child passes its own output on after each job
 * (child.c), so that it arrives in order with the job's frames. The server reads them only when
 * one fills up (jq_batches_relieve) and when the child has exited.
 */
size_t jq_batches_pollfds(struct pollfd *fds, size_t max);

/** Reads whatever the pipes in `fds` (as filled by jq_batches_pollfds) have to offer. */
void jq_batches_handle(const struct pollfd *fds, size_t count);

/**
 * Reads the stdout/stderr pipes holding more than a few KiB, so that a job printing a lot does
 * not block on a full pipe until it ends. Call every few milliseconds while batches run.
 */
void jq_batches_relieve(void);

/** How often, in milliseconds, to call jq_batches_relieve while batches run. */
#define JQ_RELIEVE_INTERVAL_MS 20

/** Reaps exited children: drains their pipes, then sends EXITED. Call on SIGCHLD. */
void jq_batches_reap(void);

/** Maximum pollfds jq_batches_pollfds may need. */
size_t jq_batches_pollfd_capacity(void);

#endif
