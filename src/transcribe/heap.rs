//! How freed Whisper buffers go back to the system.
//!
//! Each call makes a whisper.cpp decoding state (about 190 MB touched for base: the encoder's
//! attention matrices and their f16 copy, the KV caches, the logits) and frees it afterwards.
//! glibc raises its mmap threshold each time a large mapped block is freed, so after the first
//! call the next states' buffers of up to 32 MB come from the workers' heaps, where freed
//! pages stay resident and the heaps of two workers fragment. Fixing the threshold at glibc's
//! starting value keeps every block of 128 KB and more in its own mapping, returned on free:
//! on recordings/demo-zh with two jobs the peak fell from 642 to 612 MB (docs/performance.md)
//! for no measurable time.

use std::sync::Once;

/// glibc's own starting threshold; setting it explicitly is what stops it moving.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 128 * 1024;

/// Makes large freed blocks go back to the system at once (glibc only; elsewhere a no-op).
/// Safe to call more than once.
pub fn return_large_blocks() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: mallopt only changes allocator parameters; it is thread-safe in glibc.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        }
    });
}
