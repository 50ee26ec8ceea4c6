/*
 * child.h — what runs in a batch's forked child: isolate the process, run the jobs in order
 * through the plugin's jq_perform, report each one on the result pipe, exit.
 */
#ifndef JQ_FORKSERVER_CHILD_H
#define JQ_FORKSERVER_CHILD_H

#include <stdint.h>
#include <sys/types.h>
#include "plugins.h"

/** One job of a RUN command. Strings and payload point into the server's copy of the command. */
typedef struct jq_run_job {
    uint64_t item_id;
    char *queue_id;
    uint32_t attempt;
    const uint8_t *payload;
    uint32_t payload_len;
} jq_run_job;

/** A RUN command, parsed. */
typedef struct jq_run {
    uint64_t batch;
    const jq_plugin *plugin;
    uint32_t count;
    jq_run_job *jobs;
} jq_run;

/** Resource limits of children (0 = leave unchanged), set by LOAD. */
typedef struct jq_child_limits {
    uint64_t address_space_bytes;
    uint64_t cpu_seconds;
    uint64_t open_files;
    int swift_backtraces;
} jq_child_limits;

/** The child's pipe ends, as the server created them (all close-on-exec). */
typedef struct jq_child_pipes {
    int stdout_write, stderr_write, result_write;
    /** The child keeps these read ends too, to pass its own output on after each job. */
    int stdout_read, stderr_read;
} jq_child_pipes;

/** Where the child keeps its pipes: stdout and stderr at 1 and 2, then these. */
#define JQ_CHILD_RESULT_FD 3
#define JQ_CHILD_STDOUT_READ_FD 4
#define JQ_CHILD_STDERR_READ_FD 5

/**
 * Becomes the batch's child: own process group, killed if `server` (its parent) dies, stdin from
 * /dev/null, stdout/stderr/result onto the pipes, every other descriptor closed, limits applied;
 * then runs the batch and exits 0. Call right after fork(); never returns.
 */
_Noreturn void jq_child_main(const jq_run *run, const jq_child_limits *limits, pid_t server,
                             const jq_child_pipes *pipes);

#endif
