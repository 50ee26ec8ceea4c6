//! RustGreeter — an example plugin in Rust, with no crates: the ABI's types come from the SDK's
//! Rust declarations of `jobqueue_plugin.h` (JobQueuePluginSDK/Rust/jobqueue_plugin.rs).
//!
//! Config:  {"greeting": "Hello"}   (optional; "Hello" when absent)
//! Payload: a name, as text or as a JSON string ("Ada" or "\"Ada\"").
//! Result:  "Hello, Ada!", also logged by the plugin at info level. An empty name is discarded
//!          (retrying cannot fix it).
//!
//! Build (any rustc from 1.63, Debian's included):
//!     rustc --edition 2021 --crate-type cdylib -C opt-level=2 -o libRustGreeter.so greeter.rs
//!
//! Rules the host sets for every plugin hold here too: `jq_init` starts no thread (Rust's standard
//! library starts none by itself), and nothing may unwind into the host: a panic in `jq_perform`
//! aborts the batch's child, which the host reports as a crash of that job.

#[path = "../../JobQueuePluginSDK/Rust/jobqueue_plugin.rs"]
pub mod jobqueue_plugin;

use jobqueue_plugin::*;
use std::ffi::CStr;
use std::os::raw::{c_char, c_int};
use std::sync::Mutex;

// ---- The plugin ---------------------------------------------------------------------------------

/// The greeting `jq_init` read from the topic's configuration.
static GREETING: Mutex<Option<String>> = Mutex::new(None);

#[no_mangle]
pub extern "C" fn jq_abi_version() -> u32 {
    JQ_ABI_VERSION
}

#[no_mangle]
pub extern "C" fn jq_init(config_json: *const c_char, error: *mut c_char, error_size: usize) -> c_int {
    let config = if config_json.is_null() { "{}".to_string() } else { unsafe { CStr::from_ptr(config_json) }.to_string_lossy().into_owned() };
    match greeting_of(&config) {
        Ok(greeting) => {
            *GREETING.lock().unwrap() = Some(greeting);
            0
        }
        Err(reason) => {
            write_c_string(&reason, error, error_size);
            1
        }
    }
}

#[no_mangle]
pub extern "C" fn jq_perform(job: *const JqJob, ctx: *mut JqContext) -> JqStatus {
    let job = unsafe { &*job };
    let context = unsafe { &*ctx };
    let payload = unsafe { std::slice::from_raw_parts(job.payload, job.payload_len) };
    let text = String::from_utf8_lossy(payload);
    let name = json_string(text.trim()).unwrap_or_else(|| text.trim().to_string());
    if name.is_empty() {
        (context.set_message)(ctx, b"no name to greet\0".as_ptr() as *const c_char);
        return JQ_DISCARD;
    }
    let greeting = GREETING.lock().unwrap().clone().unwrap_or_else(|| "Hello".to_string());
    let result = format!("{}, {}!", greeting, name);
    (context.set_result)(ctx, result.as_ptr(), result.len());
    let line = format!("greeted {}\0", name.replace('\0', ""));
    (context.log)(ctx, JQ_LOG_INFO, line.as_ptr() as *const c_char);
    JQ_OK
}

// ---- Helpers ------------------------------------------------------------------------------------

/// The "greeting" string of a flat JSON object, "Hello" when it has none.
fn greeting_of(config: &str) -> Result<String, String> {
    let key = match config.find("\"greeting\"") {
        Some(key) => key,
        None => return Ok("Hello".to_string()),
    };
    let rest = config[key + "\"greeting\"".len()..].trim_start();
    let value = match rest.strip_prefix(':') {
        Some(value) => value,
        None => return Err("config: \"greeting\" needs a value".to_string()),
    };
    match json_string(value.trim_start()) {
        Some(greeting) if !greeting.is_empty() => Ok(greeting),
        _ => Err("config: \"greeting\" must be a non-empty string, e.g. {\"greeting\": \"Hello\"}".to_string()),
    }
}

/// The JSON string at the start of `text`, unescaped (\" \\ \/ \n \t; others are refused).
fn json_string(text: &str) -> Option<String> {
    let mut chars = text.strip_prefix('"')?.chars();
    let mut out = String::new();
    loop {
        match chars.next()? {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                c @ ('"' | '\\' | '/') => out.push(c),
                'n' => out.push('\n'),
                't' => out.push('\t'),
                _ => return None,
            },
            c => out.push(c),
        }
    }
}

/// Copies `text` into the C buffer `out` of `size` bytes, cut to fit, NUL-terminated.
fn write_c_string(text: &str, out: *mut c_char, size: usize) {
    if out.is_null() || size == 0 {
        return;
    }
    let bytes = text.as_bytes();
    let n = bytes.len().min(size - 1);
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr() as *const c_char, out, n);
        *out.add(n) = 0;
    }
}
