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

        /// The plugin ABI's types (jobqueue_plugin.h in Rust, from JobQueuePluginSDK).
        pub mod jobqueue_plugin;

        use jobqueue_plugin::*;
        use std::ffi::CStr;
        use std::os::raw::{c_char, c_int};
        use std::sync::Mutex;

        static GREETING: Mutex<Option<String>> = Mutex::new(None);

        #[no_mangle]
        pub extern "C" fn jq_abi_version() -> u32 {
            JQ_ABI_VERSION
        }

        #[no_mangle]
        pub extern "C" fn jq_init(config_json: *const c_char, _error: *mut c_char, _error_size: usize) -> c_int {
            let config = unsafe { CStr::from_ptr(config_json) }.to_string_lossy().into_owned();
            *GREETING.lock().unwrap() = string_member(&config, "greeting");
            0
        }

        #[no_mangle]
        pub extern "C" fn jq_perform(job: *const JqJob, ctx: *mut JqContext) -> JqStatus {
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
