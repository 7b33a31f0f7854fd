//! Peak memory of `callgrade run` through the binary, on real demo calls with the base model:
//! the project's aim is the model file plus 300 MB, whatever the number of calls.

mod common;

use common::{callgrade, count, model, run_args, workspace};
use std::process::Command;

/// Runs `cmd` to its end and gives its exit code and its own peak resident memory in MB
/// (from wait4, so no other process of the test counts).
#[allow(clippy::zombie_processes, reason = "wait4 reaps the child")]
fn run_measured(mut cmd: Command) -> (Option<i32>, f64) {
    let child = cmd
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("callgrade starts");
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child's, not yet waited for; both pointers are valid.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 reaps callgrade");
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, usage.ru_maxrss as f64 / 1024.0)
}

#[test]
fn low_memory_keeps_two_jobs_within_the_model_plus_300_mb() {
    let (dir, manifest) = workspace(4, &[]);
    let db = dir.path().join("t.db");
    let base = model("ggml-base.bin");
    let model_mb = std::fs::metadata(&base).unwrap().len() as f64 / (1024.0 * 1024.0);
    let mut args = run_args(&manifest, &db);
    let at = args.iter().position(|a| a == "--model").unwrap();
    args[at + 1] = base.display().to_string();
    let mut cmd = callgrade();
    cmd.args(&args)
        .args(["--jobs", "2", "--threads", "1", "--low-memory"]);
    let (code, peak) = run_measured(cmd);
    assert_eq!(code, Some(0), "the run succeeds");
    assert_eq!(count(&db, "call_scores"), 4, "every call is scored");
    assert!(
        peak <= model_mb + 300.0,
        "two jobs with --low-memory peaked at {peak:.0} MB, over the model's {model_mb:.0} MB + 300 MB"
    );
}
