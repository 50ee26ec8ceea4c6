/*
 * WordCountWorker — an example plugin in plain C, like `wc`.
 *
 * Config:  {"report_dir": "/var/spool/wordcount"}      (required: where reports are written)
 * Payload: {"file": "/path/to/file"}   counts that file, or
 *          any other text              counts the payload itself.
 * Effect:  writes "<lines> <words> <bytes> <source>\n" to <report_dir>/<job id>.txt and returns
 *          the same line as the job's result.
 *
 * A missing or unreadable file is an error (retried: it may appear later); a JSON payload without
 * a "file" string is discarded (retrying cannot fix it).
 *
 * Build outside this package with: cc -shared -fPIC -I<dir of jobqueue_plugin.h> \
 *                                      -o libWordCountWorker.so word_count_worker.c
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobqueue_plugin.h"

static char report_dir[4096];

/* ---- A tiny JSON reader: finds a string member of a flat top-level object ------------------ */

static const char *skip_space(const char *p, const char *end) {
    while (p < end && isspace((unsigned char)*p)) p++;
    return p;
}

/**
 * Reads the JSON string starting at the quote `p` into `out` (NUL-terminated; NULL to skip it).
 * Returns the position after the closing quote, or NULL if malformed or longer than `out_size`.
 * Only ASCII \u escapes are supported, which is enough for paths.
 */
static const char *read_string(const char *p, const char *end, char *out, size_t out_size) {
    size_t n = 0;
    if (p >= end || *p != '"') return NULL;
    for (p++; p < end && *p != '"'; p++) {
        char c = *p;
        if ((unsigned char)c < 0x20) return NULL;
        if (c == '\\') {
            if (++p >= end) return NULL;
            switch (*p) {
            case '"': case '\\': case '/': c = *p; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u': {
                if (end - p < 5) return NULL;
                char hex[5] = { p[1], p[2], p[3], p[4], 0 };
                char *stop;
                long code = strtol(hex, &stop, 16);
                if (*stop || code <= 0 || code > 0x7f) return NULL;
                c = (char)code;
                p += 4;
                break;
            }
            default: return NULL;
            }
        }
        if (out) {
            if (n + 1 >= out_size) return NULL;
            out[n++] = c;
        }
    }
    if (p >= end) return NULL;
    if (out) out[n] = 0;
    return p + 1;
}

/** Skips one JSON value that is not a string: a number, literal, object or array. */
static const char *skip_value(const char *p, const char *end) {
    int depth = 0;
    for (; p < end; p++) {
        if (*p == '"') {
            p = read_string(p, end, NULL, 0);
            if (!p) return NULL;
            p--;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            if (depth == 0) return p;
            depth--;
        } else if (*p == ',' && depth == 0) {
            return p;
        }
    }
    return depth == 0 ? p : NULL;
}

/**
 * Copies the string member `key` of the JSON object in [json, json+len) into `out`.
 * Returns 0 when found, 1 when the object has no such string member, -1 when it is not JSON.
 */
static int json_string_member(const char *json, size_t len, const char *key, char *out,
                              size_t out_size) {
    const char *end = json + len;
    const char *p = skip_space(json, end);
    if (p >= end || *p++ != '{') return -1;
    char name[256];
    for (;;) {
        p = skip_space(p, end);
        if (p < end && *p == '}') return 1;
        if (!(p = read_string(p, end, name, sizeof name))) return -1;
        p = skip_space(p, end);
        if (p >= end || *p++ != ':') return -1;
        p = skip_space(p, end);
        if (p < end && *p == '"') {
            int wanted = strcmp(name, key) == 0;
            if (!(p = read_string(p, end, wanted ? out : NULL, out_size))) return -1;
            if (wanted) return 0;
        } else if (!(p = skip_value(p, end))) {
            return -1;
        }
        p = skip_space(p, end);
        if (p < end && *p == ',') { p++; continue; }
        return p < end && *p == '}' ? 1 : -1;
    }
}

/* ---- Counting ----------------------------------------------------------------------------- */

typedef struct counts {
    uint64_t lines, words, bytes;
    int in_word;
} counts;

static void count(counts *c, const unsigned char *bytes, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (bytes[i] == '\n') c->lines++;
        if (isspace(bytes[i])) {
            c->in_word = 0;
        } else if (!c->in_word) {
            c->in_word = 1;
            c->words++;
        }
    }
    c->bytes += n;
}

static int count_file(const char *path, counts *c) {
    FILE *file = fopen(path, "rb");
    if (!file) return -1;
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, file)) > 0) count(c, chunk, n);
    int failed = ferror(file);
    fclose(file);
    return failed ? -1 : 0;
}

/* ---- The plugin --------------------------------------------------------------------------- */

uint32_t jq_abi_version(void) { return JQ_ABI_VERSION; }

int jq_init(const char *config_json, char *error, size_t error_size) {
    if (json_string_member(config_json, strlen(config_json), "report_dir", report_dir,
                           sizeof report_dir) != 0 || report_dir[0] == 0) {
        snprintf(error, error_size, "config needs a \"report_dir\" string, e.g. "
                                    "{\"report_dir\": \"/tmp/reports\"}");
        return 1;
    }
    return 0;
}

static jq_status fail(jq_context *ctx, jq_status status, const char *format, const char *detail) {
    char message[4600];
    snprintf(message, sizeof message, format, detail);
    ctx->set_message(ctx, message);
    return status;
}

jq_status jq_perform(const jq_job *job, jq_context *ctx) {
    counts c = {0};
    char source[4096] = "(payload)";
    const char *text = (const char *)job->payload;
    const char *first = skip_space(text, text + job->payload_len);

    if (first < text + job->payload_len && *first == '{') {
        if (json_string_member(text, job->payload_len, "file", source, sizeof source) != 0)
            return fail(ctx, JQ_DISCARD, "%s", "payload is JSON without a \"file\" string");
        if (count_file(source, &c) != 0)
            return fail(ctx, JQ_ERROR, "cannot read %s", source);  /* may appear later: retry */
    } else {
        count(&c, job->payload, job->payload_len);
    }

    char line[4200];
    snprintf(line, sizeof line, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %s\n", c.lines, c.words,
             c.bytes, source);

    /* Write to a temporary name, then rename: a reader of report_dir never sees half a report. */
    char path[4200], temporary[4300];
    snprintf(path, sizeof path, "%s/%" PRIu64 ".txt", report_dir, job->item_id);
    snprintf(temporary, sizeof temporary, "%s.tmp", path);
    FILE *report = fopen(temporary, "w");
    if (!report) return fail(ctx, JQ_ERROR, "cannot write report %s", temporary);
    int failed = fputs(line, report) < 0;
    failed |= fclose(report) != 0;
    if (failed || rename(temporary, path) != 0) {
        remove(temporary);
        return fail(ctx, JQ_ERROR, "cannot write report %s", path);
    }

    ctx->set_result(ctx, (const uint8_t *)line, strlen(line) - 1);
    char note[4400];
    snprintf(note, sizeof note, "counted %s: %" PRIu64 " lines", source, c.lines);
    ctx->log(ctx, JQ_LOG_INFO, note);
    return JQ_OK;
}
