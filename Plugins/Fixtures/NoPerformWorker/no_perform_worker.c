/* NoPerformWorker — test fixture: a plugin that forgot the required jq_perform export. */
#include "jobqueue_plugin.h"

uint32_t jq_abi_version(void) { return JQ_ABI_VERSION; }

/* Deliberately misnamed. */
jq_status jq_perfrom(const jq_job *job, jq_context *ctx);
jq_status jq_perfrom(const jq_job *job, jq_context *ctx) {
    (void)job;
    (void)ctx;
    return JQ_OK;
}
