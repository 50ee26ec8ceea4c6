/*
 * FaultWorker — test fixture: the payload is a command saying how this run should behave, so
 * tests can drive every outcome and every way of dying through the C ABI.
 *
 *   ok                    JQ_OK
 *   error:MSG             JQ_ERROR with message MSG
 *   snooze:MS             JQ_SNOOZE for MS milliseconds
 *   discard:WHY           JQ_DISCARD with reason WHY
 *   result:TEXT           JQ_OK with result TEXT
 *   bigresult:N           JQ_OK with a result of N bytes ('x')
 *   badstatus             returns 42, which is no jq_status
 *   segv                  writes through a null pointer
 *   abort                 calls abort()
 *   hang                  never returns
 *   sleep:MS              sleeps MS milliseconds, then JQ_OK
 *   span:MS:PATH          sleeps MS milliseconds, then appends "START END QUEUE" to the file PATH
 *                         (wall-clock microseconds, one write), then JQ_OK: when the run itself ran
 *   progress:P:MS:MESSAGE reports P% and MESSAGE (ABI 1.2 progress), sleeps MS milliseconds, JQ_OK
 *   progressflood:N       reports progress N times as fast as it can, then JQ_OK
 *   configto:MS:PATH      sleeps MS milliseconds, then appends the config JSON jq_init received
 *                         and a newline to the file PATH (one write), then JQ_OK
 *   stdout:TEXT           prints "out:TEXT" on stdout and "err:TEXT" on stderr, then JQ_OK
 *   spam:N                prints N numbered lines of ~1 KiB on stdout, then JQ_OK
 *   garbage               writes junk into the host's result pipe (descriptor 3), then JQ_OK
 *   exit0                 calls exit(0)
 *   followup:QUEUE:TOPIC  enqueues a follow-up (priority 7, delay 1500 ms, max_retries 2), JQ_OK
 *   followup-plain:QUEUE:TOPIC  enqueues a follow-up with no options (the host's defaults), JQ_OK
 *   followup-unique:QUEUE:TOPIC  enqueues a follow-up with unique key "follow-up" (ABI 1.1), JQ_OK
 *   log:TEXT              logs TEXT at warning level, then JQ_OK
 *   meta                  JQ_OK with result "topic|queue_id|item_id|attempt"
 *   config                JQ_OK with result = the config JSON jq_init received
 *   ids                   JQ_OK with result "euid:egid"
 *   alloc                 allocates 16 MiB chunks until refused, then JQ_ERROR saying how much
 *   closefds              closes descriptors 0-1023 (its own pipes too), then JQ_OK
 *   grandchild            forks a process that pauses forever; JQ_OK with its pid as result
 *   env:NAME              JQ_OK with result = the value of environment variable NAME, or "(unset)"
 *   fds                   JQ_OK with result = the open descriptors, e.g. "0,1,2,3"
 *   limits                JQ_OK with result "nofile=N core=N" (soft limits; -1 = unlimited)
 *
 * Config: any JSON. Recognised (by plain text search, this is a fixture):
 *   "thread": true            jq_init leaves a thread running (which the fork server must refuse)
 *   "init_crash": true        jq_init writes through a null pointer (killing the fork server)
 *   "init_hang": true         jq_init never returns
 *   "init_needs": "PATH"      jq_init fails unless the file PATH exists (a service not up yet)
 *   "shutdown_file": "PATH"   jq_shutdown creates the file PATH
 *   "shutdown_hang": true     jq_shutdown never returns (after creating shutdown_file)
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "jobqueue_plugin.h"

static char *config_text;

uint32_t jq_abi_version(void) { return JQ_ABI_VERSION; }

static void *idle(void *unused) {
    (void)unused;
    for (;;) pause();
    return NULL;
}

/* True if config_json sets `key` to true, with or without a space after the colon (the host
 * renders YAML config as compact JSON; tests write it by hand). */
static int flag(const char *config_json, const char *key) {
    char spaced[64], compact[64];
    snprintf(spaced, sizeof spaced, "\"%s\": true", key);
    snprintf(compact, sizeof compact, "\"%s\":true", key);
    return strstr(config_json, spaced) || strstr(config_json, compact);
}

int jq_init(const char *config_json, char *error, size_t error_size) {
    config_text = strdup(config_json);
    if (!config_text) {
        snprintf(error, error_size, "out of memory");
        return 1;
    }
    if (flag(config_json, "thread")) {
        pthread_t thread;
        pthread_create(&thread, NULL, idle, NULL);
    }
    if (flag(config_json, "init_crash")) *(volatile int *)(uintptr_t)0 = 1;
    if (flag(config_json, "init_hang")) for (;;) pause();
    const char *needs = strstr(config_json, "\"init_needs\":");
    if (needs) {
        char path[4096];
        const char *start = needs + strlen("\"init_needs\":");
        while (*start == ' ') start++;
        if (*start == '"') start++;
        const char *end = strchr(start, '"');
        if (end && (size_t)(end - start) < sizeof path) {
            memcpy(path, start, (size_t)(end - start));
            path[end - start] = 0;
            if (access(path, F_OK) != 0) {
                snprintf(error, error_size, "%s is not there yet", path);
                return 3;
            }
        }
    }
    return 0;
}

void jq_shutdown(void) {
    const char *key = config_text ? strstr(config_text, "\"shutdown_file\": \"") : NULL;
    if (key) {
        char path[4096];
        const char *start = key + strlen("\"shutdown_file\": \"");
        const char *end = strchr(start, '"');
        if (end && (size_t)(end - start) < sizeof path) {
            memcpy(path, start, (size_t)(end - start));
            path[end - start] = 0;
            FILE *marker = fopen(path, "w");
            if (marker) fclose(marker);
        }
    }
    if (config_text && strstr(config_text, "\"shutdown_hang\": true")) {
        for (;;) pause();
    }
    free(config_text);
    config_text = NULL;
}

static int set_text_result(jq_context *ctx, const char *text) {
    return ctx->set_result(ctx, (const uint8_t *)text, strlen(text));
}

/** If `command` starts with `name:`, returns what follows the colon. */
static const char *argument(const char *command, const char *name) {
    size_t n = strlen(name);
    return strncmp(command, name, n) == 0 && command[n] == ':' ? command + n + 1 : NULL;
}

static void sleep_ms(unsigned long ms) {
    struct timespec t = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) != 0) {}
}

static jq_status run(const jq_job *job, jq_context *ctx, const char *command) {
    const char *arg;
    if (strcmp(command, "ok") == 0) return JQ_OK;
    if ((arg = argument(command, "error"))) { ctx->set_message(ctx, arg); return JQ_ERROR; }
    if ((arg = argument(command, "snooze"))) {
        ctx->set_snooze(ctx, strtoull(arg, NULL, 10));
        return JQ_SNOOZE;
    }
    if ((arg = argument(command, "discard"))) { ctx->set_message(ctx, arg); return JQ_DISCARD; }
    if ((arg = argument(command, "result"))) { set_text_result(ctx, arg); return JQ_OK; }
    if ((arg = argument(command, "bigresult"))) {
        size_t n = strtoull(arg, NULL, 10);
        uint8_t *bytes = malloc(n ? n : 1);
        if (!bytes) return JQ_ERROR;
        memset(bytes, 'x', n);
        ctx->set_result(ctx, bytes, n);
        free(bytes);
        return JQ_OK;
    }
    if (strcmp(command, "badstatus") == 0) return (jq_status)42;
    if (strcmp(command, "segv") == 0) { *(volatile int *)(uintptr_t)0 = 1; return JQ_OK; }
    if (strcmp(command, "abort") == 0) abort();
    if (strcmp(command, "hang") == 0) for (;;) pause();
    if ((arg = argument(command, "sleep"))) { sleep_ms(strtoul(arg, NULL, 10)); return JQ_OK; }
    if ((arg = argument(command, "span"))) {
        struct timespec start, end;
        clock_gettime(CLOCK_REALTIME, &start);
        char *path = NULL;
        sleep_ms(strtoul(arg, &path, 10));
        clock_gettime(CLOCK_REALTIME, &end);
        if (!path || *path != ':') { ctx->set_message(ctx, "span needs MS:PATH"); return JQ_DISCARD; }
        char line[512];
        int n = snprintf(line, sizeof line, "%lld %lld %s\n",
                         (long long)start.tv_sec * 1000000 + start.tv_nsec / 1000,
                         (long long)end.tv_sec * 1000000 + end.tv_nsec / 1000, job->queue_id);
        int fd = open(path + 1, O_WRONLY | O_APPEND | O_CREAT, 0600);
        if (fd < 0 || write(fd, line, (size_t)n) != n) { ctx->set_message(ctx, "span could not write"); return JQ_ERROR; }
        close(fd);
        return JQ_OK;
    }
    if ((arg = argument(command, "progress"))) {
        if (!JQ_HAS_MEMBER(ctx, jq_context, progress)) { ctx->set_message(ctx, "no progress on this host"); return JQ_ERROR; }
        char *rest = NULL;
        unsigned long percent = strtoul(arg, &rest, 10);
        if (!rest || *rest != ':') { ctx->set_message(ctx, "progress needs PERCENT:MS:MESSAGE"); return JQ_DISCARD; }
        unsigned long ms = strtoul(rest + 1, &rest, 10);
        ctx->progress(ctx, (uint32_t)percent, rest && *rest == ':' ? rest + 1 : NULL);
        sleep_ms(ms);
        return JQ_OK;
    }
    if ((arg = argument(command, "progressflood"))) {
        unsigned long calls = strtoul(arg, NULL, 10);
        for (unsigned long i = 0; i < calls; i++) ctx->progress(ctx, (uint32_t)(i * 100 / (calls ? calls : 1)), "flooding");
        return JQ_OK;
    }
    if ((arg = argument(command, "configto"))) {
        char *path = NULL;
        sleep_ms(strtoul(arg, &path, 10));
        if (!path || *path != ':') { ctx->set_message(ctx, "configto needs MS:PATH"); return JQ_DISCARD; }
        char line[512];
        int n = snprintf(line, sizeof line, "%s\n", config_text ? config_text : "");
        if (n >= (int)sizeof line) { ctx->set_message(ctx, "configto: config too long"); return JQ_DISCARD; }
        int fd = open(path + 1, O_WRONLY | O_APPEND | O_CREAT, 0600);
        if (fd < 0 || write(fd, line, (size_t)n) != n) { ctx->set_message(ctx, "configto could not write"); return JQ_ERROR; }
        close(fd);
        return JQ_OK;
    }
    if ((arg = argument(command, "stdout"))) {
        printf("out:%s\n", arg);
        fprintf(stderr, "err:%s\n", arg);
        return JQ_OK;
    }
    if ((arg = argument(command, "spam"))) {
        unsigned long lines = strtoul(arg, NULL, 10);
        char filler[1001];
        memset(filler, 'x', 1000);
        filler[1000] = 0;
        for (unsigned long i = 1; i <= lines; i++) printf("spam %lu %s\n", i, filler);
        return JQ_OK;
    }
    if (strcmp(command, "exit0") == 0) exit(0);
    if (strcmp(command, "alloc") == 0) {
        /* Touch memory until the address-space limit stops it; then say how far it got. */
        size_t total = 0;
        for (;;) {
            char *chunk = malloc(16 << 20);
            if (!chunk) break;
            memset(chunk, 1, 16 << 20);
            total += 16 << 20;
        }
        char text[64];
        snprintf(text, sizeof text, "allocation refused after %zu MiB", total >> 20);
        ctx->set_message(ctx, text);
        return JQ_ERROR;
    }
    if (strcmp(command, "closefds") == 0) {
        for (int fd = 0; fd < 1024; fd++) close(fd);
        return JQ_OK;
    }
    if (strcmp(command, "grandchild") == 0) {
        /* A process that would outlive the batch: its pid is the result. */
        pid_t pid = fork();
        if (pid == 0) { for (;;) pause(); }
        char text[32];
        snprintf(text, sizeof text, "%d", (int)pid);
        set_text_result(ctx, text);
        return JQ_OK;
    }
    if (strcmp(command, "garbage") == 0) {
        static const uint8_t junk[] = { 13, 0, 0, 0, 99, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
        if (write(3, junk, sizeof junk) < 0) return JQ_ERROR;
        return JQ_OK;
    }
    int plain = argument(command, "followup-plain") != NULL;
    int unique = argument(command, "followup-unique") != NULL;
    if ((arg = argument(command, plain ? "followup-plain" : unique ? "followup-unique" : "followup"))) {
        char queue[256];
        const char *colon = strchr(arg, ':');
        if (!colon || (size_t)(colon - arg) >= sizeof queue) {
            ctx->set_message(ctx, "followup needs QUEUE:TOPIC");
            return JQ_DISCARD;
        }
        memcpy(queue, arg, (size_t)(colon - arg));
        queue[colon - arg] = 0;
        char payload[64];
        snprintf(payload, sizeof payload, "after %" PRIu64, job->item_id);
        jq_enqueue_options options = JQ_ENQUEUE_OPTIONS_INIT;
        options.set = plain ? 0 : JQ_ENQUEUE_PRIORITY | JQ_ENQUEUE_DELAY | JQ_ENQUEUE_MAX_RETRIES;
        options.priority = 7;
        options.delay_ms = 1500;
        options.max_retries = 2;
        if (unique) {
            options.set = JQ_ENQUEUE_UNIQUE_KEY;
            options.unique_key = "follow-up";
        }
        if (ctx->enqueue(ctx, queue, colon + 1, (const uint8_t *)payload, strlen(payload),
                         &options) != 0) {
            ctx->set_message(ctx, "enqueue refused");
            return JQ_ERROR;
        }
        return JQ_OK;
    }
    if ((arg = argument(command, "log"))) { ctx->log(ctx, JQ_LOG_WARNING, arg); return JQ_OK; }
    if (strcmp(command, "meta") == 0) {
        char text[512];
        snprintf(text, sizeof text, "%s|%s|%" PRIu64 "|%" PRIu32, job->topic, job->queue_id,
                 job->item_id, job->attempt);
        set_text_result(ctx, text);
        return JQ_OK;
    }
    if (strcmp(command, "ids") == 0) {
        char text[64];
        snprintf(text, sizeof text, "%u:%u", (unsigned)geteuid(), (unsigned)getegid());
        set_text_result(ctx, text);
        return JQ_OK;
    }
    if ((arg = argument(command, "env"))) {
        const char *value = getenv(arg);
        set_text_result(ctx, value ? value : "(unset)");
        return JQ_OK;
    }
    if (strcmp(command, "config") == 0) {
        set_text_result(ctx, config_text ? config_text : "");
        return JQ_OK;
    }
    if (strcmp(command, "fds") == 0) {
        char text[1024] = "";
        DIR *dir = opendir("/proc/self/fd");
        if (!dir) return JQ_ERROR;
        struct dirent *entry;
        int numbers[256], count = 0;
        while ((entry = readdir(dir)) != NULL && count < 256) {
            if (entry->d_name[0] == '.') continue;
            int fd = atoi(entry->d_name);
            if (fd != dirfd(dir)) numbers[count++] = fd;
        }
        closedir(dir);
        for (int i = 0; i < count; i++)        /* tiny insertion sort: readdir order is arbitrary */
            for (int j = i; j > 0 && numbers[j - 1] > numbers[j]; j--) {
                int t = numbers[j]; numbers[j] = numbers[j - 1]; numbers[j - 1] = t;
            }
        for (int i = 0; i < count; i++) {
            size_t used = strlen(text);
            snprintf(text + used, sizeof text - used, i ? ",%d" : "%d", numbers[i]);
        }
        set_text_result(ctx, text);
        return JQ_OK;
    }
    if (strcmp(command, "limits") == 0) {
        struct rlimit files, core;
        getrlimit(RLIMIT_NOFILE, &files);
        getrlimit(RLIMIT_CORE, &core);
        char text[128];
        snprintf(text, sizeof text, "nofile=%lld core=%lld",
                 files.rlim_cur == RLIM_INFINITY ? -1LL : (long long)files.rlim_cur,
                 core.rlim_cur == RLIM_INFINITY ? -1LL : (long long)core.rlim_cur);
        set_text_result(ctx, text);
        return JQ_OK;
    }
    ctx->set_message(ctx, "unknown command");
    return JQ_DISCARD;
}

jq_status jq_perform(const jq_job *job, jq_context *ctx) {
    char *command = malloc(job->payload_len + 1);
    if (!command) return JQ_ERROR;
    memcpy(command, job->payload, job->payload_len);
    command[job->payload_len] = 0;
    /* The command may also come as a JSON string ("ok" with its quotes), as `jobqueue enqueue`
     * requires JSON payloads; no command contains a quote or backslash, so no unescaping. */
    size_t length = job->payload_len;
    if (length >= 2 && command[0] == '"' && command[length - 1] == '"') {
        memmove(command, command + 1, length - 2);
        command[length - 2] = 0;
    }
    jq_status status = run(job, ctx, command);
    free(command);
    return status;
}
