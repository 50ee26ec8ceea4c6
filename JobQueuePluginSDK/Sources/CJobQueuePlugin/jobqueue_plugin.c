/*
 * Compile-time checks of the ABI header. SwiftPM needs one source file per C target; this one
 * exports nothing (it is linked into every plugin built in this package, so it must not define
 * any of the jq_* exports) and only makes the build fail if the header's layout promises break.
 */
#include "jobqueue_plugin.h"

#define JQ_ASSERT(condition, name) typedef char jq_assert_##name[(condition) ? 1 : -1]

/* Structs that may grow start with their size. */
JQ_ASSERT(offsetof(jq_job, size) == 0, job_size_first);
JQ_ASSERT(offsetof(jq_context, size) == 0, context_size_first);
JQ_ASSERT(offsetof(jq_enqueue_options, size) == 0, options_size_first);

/* Status codes are part of the wire protocol between the fork server and the host. */
JQ_ASSERT(JQ_OK == 0 && JQ_ERROR == 1 && JQ_SNOOZE == 2 && JQ_DISCARD == 3, status_values);
JQ_ASSERT(sizeof(jq_status) == sizeof(int), status_is_int);
JQ_ASSERT(JQ_ABI_VERSION == 0x00010002u, version_packing);

/* Members appended since 1.0 stay after the 1.0 ones (appending is the only way to grow). */
JQ_ASSERT(offsetof(jq_context, progress) > offsetof(jq_context, enqueue), progress_appended);
