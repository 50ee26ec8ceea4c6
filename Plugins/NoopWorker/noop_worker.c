/* NoopWorker — the smallest possible plugin: every job succeeds at once. Used by benchmarks to
 * measure what the host and the fork server cost per batch. */
#include "jobqueue_plugin.h"

uint32_t jq_abi_version(void) { return JQ_ABI_VERSION; }

jq_status jq_perform(const jq_job *job, jq_context *ctx) {
    (void)job;
    (void)ctx;
    return JQ_OK;
}
