extension PluginTemplate {
    var cBuild: String {
        """
        #!/bin/sh
        # Builds lib\(name).so from \(name).c against jobqueue_plugin.h (the plugin ABI).
        set -e
        cd "$(dirname "$0")"
        cc -shared -fPIC -O2 -Wall -Wextra -o lib\(name).so \(name).c

        """
    }

    var cSource: String {
        #"""
        /* \#(name) — a JobQueue plugin: {"name": "Ada"} becomes "Hello, Ada!". */
        #define _GNU_SOURCE /* memmem */
        #include <stdio.h>
        #include <string.h>

        #include "jobqueue_plugin.h"

        static char greeting[256] = "Hello";

        /* The string member `key` of a flat JSON object, copied into `out`; 0 if there is none.
           Escapes are not decoded: a real plugin would use a JSON library. */
        static int string_member(const char *json, size_t len, const char *key, char *out, size_t size) {
            char quoted[64];
            snprintf(quoted, sizeof quoted, "\"%s\"", key);
            const char *end = json + len, *p = memmem(json, len, quoted, strlen(quoted));
            if (!p) return 0;
            p += strlen(quoted);
            while (p < end && (*p == ' ' || *p == ':')) p++;
            if (p >= end || *p != '"') return 0;
            p++;
            const char *close = memchr(p, '"', (size_t)(end - p));
            if (!close || (size_t)(close - p) >= size) return 0;
            memcpy(out, p, (size_t)(close - p));
            out[close - p] = 0;
            return 1;
        }

        uint32_t jq_abi_version(void) { return JQ_ABI_VERSION; }

        int jq_init(const char *config_json, char *error, size_t error_size) {
            (void)error;
            (void)error_size;
            string_member(config_json, strlen(config_json), "greeting", greeting, sizeof greeting);
            return 0;
        }

        jq_status jq_perform(const jq_job *job, jq_context *ctx) {
            char name[256];
            if (!string_member((const char *)job->payload, job->payload_len, "name", name, sizeof name) || !name[0]) {
                ctx->set_message(ctx, "no name");
                return JQ_DISCARD;
            }
            char result[600];
            int n = snprintf(result, sizeof result, "%s, %s!", greeting, name);
            ctx->set_result(ctx, (const uint8_t *)result, (size_t)n);
            return JQ_OK;
        }

        """#
    }
}
