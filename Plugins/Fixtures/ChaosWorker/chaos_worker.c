/*
 * ChaosWorker — test fixture for kill tests: records every run as one line "<item_id> <attempt>\n"
 * appended to the file named by its config ({"log_file": "/path"}), then sleeps for the number of
 * milliseconds in the payload (a JSON number; 0 when absent). One write() with O_APPEND per run, so
 * lines of concurrent children never interleave and a line exists iff the run got that far.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jobqueue_plugin.h"

static char log_file[4096];

uint32_t jq_abi_version(void) { return JQ_ABI_VERSION; }

int jq_init(const char *config_json, char *error, size_t error_size) {
    const char *key = strstr(config_json, "\"log_file\"");
    const char *open_quote = key ? strchr(key + strlen("\"log_file\""), '"') : NULL;
    const char *close_quote = open_quote ? strchr(open_quote + 1, '"') : NULL;
    size_t length = close_quote ? (size_t)(close_quote - open_quote - 1) : 0;
    if (!close_quote || length == 0 || length >= sizeof log_file) {
        snprintf(error, error_size, "config needs {\"log_file\": \"/path\"}");
        return 1;
    }
    memcpy(log_file, open_quote + 1, length);
    log_file[length] = 0;
    return 0;
}

jq_status jq_perform(const jq_job *job, jq_context *ctx) {
    char line[64];
    int length = snprintf(line, sizeof line, "%" PRIu64 " %" PRIu32 "\n", job->item_id, job->attempt);
    int fd = open(log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, line, (size_t)length) != length) {
        ctx->set_message(ctx, "cannot append to the log file");
        if (fd >= 0) close(fd);
        return JQ_ERROR;
    }
    close(fd);
    char payload[32] = {0};
    memcpy(payload, job->payload, job->payload_len < sizeof payload - 1 ? job->payload_len : sizeof payload - 1);
    long milliseconds = strtol(payload, NULL, 10);
    if (milliseconds > 0) {
        struct timespec pause = {milliseconds / 1000, (milliseconds % 1000) * 1000000L};
        nanosleep(&pause, NULL);
    }
    return JQ_OK;
}
