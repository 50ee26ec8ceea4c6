/* BadAbiWorker — test fixture: claims ABI major version 99, which the host must refuse. */
#include "jobqueue_plugin.h"

uint32_t jq_abi_version(void) { return (99u << 16) | 0u; }

jq_status jq_perform(const jq_job *job, jq_context *ctx) {
    (void)job;
    (void)ctx;
    return JQ_OK;
}
