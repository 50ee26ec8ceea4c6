/* plugins.c — see plugins.h. */
#define _GNU_SOURCE
#include "plugins.h"

#include <dirent.h>
#include <dlfcn.h>
#include <link.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Pointers, so that a plugin's address stays put while the table grows. */
static jq_plugin **plugins;
static size_t plugin_count;

/** Formats a reason into the caller's buffer and returns NULL, so failures read `return fail(...)`. */
static const jq_plugin *fail(char *error, size_t size, const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(error, size, format, args);
    va_end(args);
    /* Keep the reason on one line: the host prints one line per topic. */
    for (char *c = error; *c; c++) if (*c == '\n' || *c == '\r') *c = ' ';
    return NULL;
}

const jq_plugin *jq_plugins_find(const char *topic) {
    for (size_t i = 0; i < plugin_count; i++)
        if (strcmp(plugins[i]->topic, topic) == 0) return plugins[i];
    return NULL;
}

int jq_thread_count(void) {
    /* Opened once: a sandbox with `readable:` forbids opening it later. */
    static int task_fd = -2;
    if (task_fd == -2) task_fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int fd = task_fd < 0 ? -1 : dup(task_fd);
    DIR *dir = fd < 0 ? NULL : fdopendir(fd);
    if (!dir) {
        if (fd >= 0) close(fd);
        return -1;
    }
    rewinddir(dir);
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL)
        if (entry->d_name[0] != '.') count++;
    closedir(dir);
    return count;
}

/** Checks that `path` names a readable regular file starting with the ELF magic. */
static int check_file(const char *path, char *error, size_t size) {
    struct stat st;
    if (stat(path, &st) != 0) {
        fail(error, size, errno == ENOENT ? "no such file: %s" : "cannot access %s: %s", path,
             strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) { fail(error, size, "not a regular file: %s", path); return -1; }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { fail(error, size, "cannot read %s: %s", path, strerror(errno)); return -1; }
    unsigned char magic[4] = {0};
    ssize_t n = read(fd, magic, sizeof magic);
    close(fd);
    if (n != 4 || memcmp(magic, "\177ELF", 4) != 0) {
        fail(error, size, "not an ELF shared library: %s", path);
        return -1;
    }
    return 0;
}

const jq_plugin *jq_plugins_load(const char *topic, const char *path, const char *config_json,
                                 char *error, size_t error_size) {
    if (jq_plugins_find(topic))
        return fail(error, error_size, "topic %s is already loaded in this process", topic);
    int threads = jq_thread_count();
    if (threads != 1)
        return fail(error, error_size,
                    "the fork server already has %d threads (an earlier plugin started them), so it "
                    "can no longer fork safely; start a new fork server", threads);
    if (check_file(path, error, error_size) != 0) return NULL;

    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) return fail(error, error_size, "dlopen failed: %s", dlerror());
    for (size_t i = 0; i < plugin_count; i++)
        if (plugins[i]->handle == handle)
            return fail(error, error_size,
                        "%s is already loaded for topic %s; copy it to another path to load it twice",
                        path, plugins[i]->topic);

    uint32_t (*abi_version)(void) = (uint32_t (*)(void))dlsym(handle, "jq_abi_version");
    if (!abi_version) return fail(error, error_size, "missing required export jq_abi_version");
    uint32_t version = abi_version();
    if ((version >> 16) != JQ_ABI_VERSION_MAJOR)
        return fail(error, error_size,
                    "incompatible ABI version %u.%u: this host speaks %u.%u (major versions differ)",
                    version >> 16, version & 0xffffu, JQ_ABI_VERSION_MAJOR, JQ_ABI_VERSION_MINOR);

    jq_perform_fn perform = (jq_perform_fn)dlsym(handle, "jq_perform");
    if (!perform) return fail(error, error_size, "missing required export jq_perform");

    int (*init)(const char *, char *, size_t) =
        (int (*)(const char *, char *, size_t))dlsym(handle, "jq_init");
    if (init) {
        char reason[1024] = {0};
        int rc = init(config_json ? config_json : "{}", reason, sizeof reason);
        reason[sizeof reason - 1] = 0;
        if (rc != 0)
            return reason[0] ? fail(error, error_size, "jq_init failed: %s", reason)
                             : fail(error, error_size, "jq_init failed with code %d", rc);
    }

    threads = jq_thread_count();
    if (threads != 1)
        return fail(error, error_size,
                    "the process has %d threads after loading the plugin; plugins must not start "
                    "threads outside jq_perform (the fork server has to stay single-threaded)",
                    threads);

    jq_plugin **grown = realloc(plugins, (plugin_count + 1) * sizeof *plugins);
    if (!grown) return fail(error, error_size, "out of memory");
    plugins = grown;
    jq_plugin *plugin = calloc(1, sizeof *plugin);
    if (plugin) {
        plugin->topic = strdup(topic);
        plugin->path = strdup(path);
    }
    if (!plugin || !plugin->topic || !plugin->path) {
        if (plugin) { free(plugin->topic); free(plugin->path); free(plugin); }
        return fail(error, error_size, "out of memory");
    }
    plugin->handle = handle;
    plugin->abi_version = version;
    plugin->perform = perform;
    plugin->shutdown = (void (*)(void))dlsym(handle, "jq_shutdown");
    plugins[plugin_count++] = plugin;
    return plugin;
}

void jq_plugins_shutdown_all(void) {
    for (size_t i = plugin_count; i > 0; i--)
        if (plugins[i - 1]->shutdown) plugins[i - 1]->shutdown();
}

/* Prints one "loaded PATH" line per object in the process (the first, the executable, has no name). */
static int print_loaded(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    (void)data;
    if (info->dlpi_name && info->dlpi_name[0]) printf("loaded %s\n", info->dlpi_name);
    return 0;
}

int jq_plugins_inspect(const char *path) {
    char error[1024];
    if (check_file(path, error, sizeof error) != 0) {
        printf("error %s\n", error);
        return 1;
    }
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        printf("error dlopen failed: %s\n", dlerror());
        return 1;
    }
    uint32_t (*abi_version)(void) = (uint32_t (*)(void))dlsym(handle, "jq_abi_version");
    printf("host %u\n", JQ_ABI_VERSION);
    if (abi_version) printf("abi %u\n", abi_version());
    printf("threads %d\n", jq_thread_count());
    dl_iterate_phdr(print_loaded, NULL);
    return fflush(stdout) == 0 ? 0 : 1;
}
