/* InitFailWorker — test fixture: jq_init always refuses, saying why. */
#include <stdio.h>
#include "jobqueue_plugin.h"

uint32_t jq_abi_version(void) { return JQ_ABI_VERSION; }

int jq_init(const char *config_json, char *error, size_t error_size) {
    (void)config_json;
    snprintf(error, error_size, "database unreachable: connection refused");
    return 7;
}

jq_status jq_perform(const jq_job *job, jq_context *ctx) {
    (void)job;
    (void)ctx;
    return JQ_OK;
}
