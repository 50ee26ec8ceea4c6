/* NewerMinorWorker — test fixture: built against a newer minor ABI version (1.99) than the host's.
 * The host must load it and say so in a notice. */
#include "jobqueue_plugin.h"

uint32_t jq_abi_version(void) { return (JQ_ABI_VERSION_MAJOR << 16) | 99u; }

jq_status jq_perform(const jq_job *job, jq_context *ctx) {
    (void)job;
    (void)ctx;
    return JQ_OK;
}
