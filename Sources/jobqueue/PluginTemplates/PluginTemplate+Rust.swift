extension PluginTemplate {
    var rustBuild: String {
        """
        #!/bin/sh
        # Builds lib\(name).so from \(name.lowercased()).rs with plain rustc (no cargo, no crates).
        set -e
        cd "$(dirname "$0")"
        rustc --edition 2021 --crate-type cdylib -C opt-level=2 -o lib\(name).so \(name.lowercased()).rs

        """
    }

    var rustSource: String {
        #"""
        //! \#(name) — a JobQueue plugin: {"name": "Ada"} becomes "Hello, Ada!".
        //! The types of jobqueue_plugin.h (ABI 1.0) are declared here, field for field.

        use std::ffi::CStr;
        use std::os::raw::{c_char, c_int, c_void};
        use std::sync::Mutex;

        const JQ_OK: c_int = 0;
        const JQ_DISCARD: c_int = 3;

        #[repr(C)]
        pub struct JqJob {
            size: usize,
            topic: *const c_char,
            queue_id: *const c_char,
            item_id: u64,
            attempt: u32,
            payload: *const u8,
            payload_len: usize,
        }

        #[repr(C)]
        pub struct JqContext {
            size: usize,
            host: *mut c_void,
            set_result: extern "C" fn(*mut JqContext, *const u8, usize) -> c_int,
            set_message: extern "C" fn(*mut JqContext, *const c_char) -> c_int,
            set_snooze: extern "C" fn(*mut JqContext, u64) -> c_int,
            log: extern "C" fn(*mut JqContext, c_int, *const c_char),
            enqueue: extern "C" fn(*mut JqContext, *const c_char, *const c_char, *const u8, usize, *const c_void) -> c_int,
        }

        static GREETING: Mutex<Option<String>> = Mutex::new(None);

        #[no_mangle]
        pub extern "C" fn jq_abi_version() -> u32 {
            1 << 16
        }

        #[no_mangle]
        pub extern "C" fn jq_init(config_json: *const c_char, _error: *mut c_char, _error_size: usize) -> c_int {
            let config = unsafe { CStr::from_ptr(config_json) }.to_string_lossy().into_owned();
            *GREETING.lock().unwrap() = string_member(&config, "greeting");
            0
        }

        #[no_mangle]
        pub extern "C" fn jq_perform(job: *const JqJob, ctx: *mut JqContext) -> c_int {
            let (job, context) = unsafe { (&*job, &*ctx) };
            let payload = unsafe { std::slice::from_raw_parts(job.payload, job.payload_len) };
            let name = string_member(&String::from_utf8_lossy(payload), "name").unwrap_or_default();
            if name.is_empty() {
                (context.set_message)(ctx, b"no name\0".as_ptr() as *const c_char);
                return JQ_DISCARD;
            }
            let greeting = GREETING.lock().unwrap().clone().unwrap_or_else(|| "Hello".to_string());
            let result = format!("{}, {}!", greeting, name);
            (context.set_result)(ctx, result.as_ptr(), result.len());
            JQ_OK
        }

        /// The string member `key` of a flat JSON object. Escapes are not decoded: a real plugin
        /// would use a JSON parser.
        fn string_member(json: &str, key: &str) -> Option<String> {
            let quoted = format!("\"{}\"", key);
            let rest = json[json.find(&quoted)? + quoted.len()..].trim_start().strip_prefix(':')?.trim_start();
            let value = rest.strip_prefix('"')?;
            Some(value[..value.find('"')?].to_string())
        }

        """#
    }
}
