/*
 * plugins.h — the plugins this fork server has loaded: one per topic, opened once with dlopen
 * (RTLD_NOW | RTLD_LOCAL) and never closed (closing a Swift plugin leaves the Swift runtime with
 * dangling pointers), checked against the ABI and initialised with jq_init.
 */
#ifndef JQ_FORKSERVER_PLUGINS_H
#define JQ_FORKSERVER_PLUGINS_H

#include <stddef.h>
#include "jobqueue_plugin.h"

typedef jq_status (*jq_perform_fn)(const jq_job *job, jq_context *ctx);

typedef struct jq_plugin {
    char *topic;
    char *path;
    void *handle;
    /** What the plugin's jq_abi_version returned. */
    uint32_t abi_version;
    jq_perform_fn perform;
    /** Optional: NULL when the plugin exports no jq_shutdown. */
    void (*shutdown)(void);
} jq_plugin;

/**
 * Loads the plugin at `path` for `topic` and calls its jq_init with `config_json`. On failure
 * returns NULL and writes a one-line reason into `error`.
 */
const jq_plugin *jq_plugins_load(const char *topic, const char *path, const char *config_json,
                                 char *error, size_t error_size);

/** The plugin loaded for `topic`, or NULL. */
const jq_plugin *jq_plugins_find(const char *topic);

/** Calls jq_shutdown of every loaded plugin, in reverse load order. */
void jq_plugins_shutdown_all(void);

/** Number of threads of this process (entries of /proc/self/task); -1 if unknown. */
int jq_thread_count(void);

/**
 * `jobqueue-forkserver --inspect PATH` (for `jobqueue plugin info`): loads the plugin in this
 * throwaway process without calling its jq_init, and prints, one per line, `host N` (the ABI
 * version this fork server speaks), `abi N` (what jq_abi_version returns, if exported),
 * `threads N` (after loading) and `loaded PATH` for every
 * object the process then has, or `error REASON`. Returns the exit status.
 */
int jq_plugins_inspect(const char *path);

#endif
