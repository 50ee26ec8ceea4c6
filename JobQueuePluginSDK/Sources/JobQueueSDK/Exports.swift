import CJobQueuePlugin

// The ABI's required exports, provided once here for every Swift plugin. The plugin itself adds
// only `jq_init` (see `install`).

/// `uint32_t jq_abi_version(void)`: the ABI version this SDK was built against.
@_cdecl("jq_abi_version")
public func jqAbiVersion() -> UInt32 {
    UInt32(JQ_ABI_VERSION_MAJOR) << 16 | UInt32(JQ_ABI_VERSION_MINOR)
}

/// `jq_status jq_perform(const jq_job *, jq_context *)`: runs one job through the installed worker.
@_cdecl("jq_perform")
public func jqPerform(_ job: UnsafePointer<jq_job>?, _ context: UnsafeMutablePointer<jq_context>?) -> jq_status {
    guard let job, let context else { return JQ_ERROR }
    let jobContext = JobContext(context)
    guard let worker = InstalledWorker.current else {
        jobContext.setMessage("no worker installed: the plugin must export jq_init calling JobQueueSDK.install")
        return JQ_ERROR
    }
    return worker.perform(job, jobContext)
}
