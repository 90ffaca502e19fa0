//! Running the engine's `script` hooks: fork and exec the script itself (no shell) with
//! argv `{path, event}` and only the hook's variables as its environment, as racoon's
//! script_exec did; stdin and stdout on /dev/null. Nobody waits for a script: children
//! that exited are reaped on each turn of the loop (SIGCHLD wakes it).

use crate::conf::LogLevel;
use crate::engine::ScriptRun;
use std::process::{Child, Command, Stdio};

/// Starts `run`. The error is the log line racoon wrote when execve failed.
pub fn spawn(run: &ScriptRun) -> Result<Child, String> {
    Command::new(&run.path)
        .arg(run.event.name())
        .env_clear()
        .envs(run.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("execve(\"{}\") failed: {}", run.path, super::io_text(&e)))
}

/// The scripts still running.
#[derive(Default)]
pub struct Children {
    running: Vec<Child>,
}

impl Children {
    /// Starts `run`, logging a failure with racoon's words; the daemon goes on.
    pub fn start(&mut self, run: &ScriptRun, logger: &mut super::Logger) {
        match spawn(run) {
            Ok(child) => self.running.push(child),
            Err(line) => logger.log(LogLevel::Error, &line),
        }
    }

    /// Reaps the scripts that exited.
    pub fn reap(&mut self) {
        self.running
            .retain_mut(|c| matches!(c.try_wait(), Ok(None)));
    }
}
