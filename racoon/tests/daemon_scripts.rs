//! The daemon's side of the `script` hooks: a real script is executed directly (no
//! shell in between) with the event as its only argument and nothing in its
//! environment but the hook's variables; a missing or non-executable script is reported
//! with racoon's execve line.

use racoon::daemon::scripts::spawn;
use racoon::engine::{ScriptEvent, ScriptRun};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("racoon-scripts-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn hook(path: &str, event: ScriptEvent) -> ScriptRun {
    ScriptRun {
        path: path.to_owned(),
        event,
        env: vec![
            ("LOCAL_ADDR".into(), "10.0.0.1".into()),
            ("LOCAL_PORT".into(), "500".into()),
            ("REMOTE_ADDR".into(), "10.0.0.2".into()),
            ("REMOTE_PORT".into(), "4500".into()),
            ("REMOTE_ID".into(), "peer.example".into()),
        ],
    }
}

#[test]
fn the_script_gets_its_event_and_only_the_hook_variables() {
    let dir = temp_dir("run");
    let out = dir.join("out");
    let script = dir.join("hook");
    // /usr/bin/env lists the environment exactly; `$0 $#` shows argv as execve gave it.
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n{{ echo \"$0|$#|$1\"; /usr/bin/env | sort; }} > {}\n",
            out.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = script.to_str().unwrap();
    let mut child = spawn(&hook(path, ScriptEvent::Phase1Up)).expect("script starts");
    assert!(child.wait().unwrap().success());
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(format!("{path}|1|phase1_up").as_str()));
    // sh itself adds PWD (and may add SHLVL); racoon passed nothing else.
    let env: Vec<&str> = lines
        .filter(|l| !l.starts_with("PWD=") && !l.starts_with("SHLVL=") && !l.starts_with("_="))
        .collect();
    assert_eq!(
        env,
        [
            "LOCAL_ADDR=10.0.0.1",
            "LOCAL_PORT=500",
            "REMOTE_ADDR=10.0.0.2",
            "REMOTE_ID=peer.example",
            "REMOTE_PORT=4500",
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_or_unexecutable_script_is_reported_as_racoon_did() {
    let dir = temp_dir("err");
    let missing = dir.join("nope");
    let err = spawn(&hook(missing.to_str().unwrap(), ScriptEvent::Phase1Down)).unwrap_err();
    assert_eq!(
        err,
        format!(
            "execve(\"{}\") failed: No such file or directory",
            missing.display()
        )
    );
    let plain = dir.join("plain");
    std::fs::write(&plain, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = spawn(&hook(plain.to_str().unwrap(), ScriptEvent::Phase1Dead)).unwrap_err();
    // root may run what has no x bit only if some x bit is set: none is, so it fails.
    assert_eq!(
        err,
        format!("execve(\"{}\") failed: Permission denied", plain.display())
    );
    let _ = std::fs::remove_dir_all(&dir);
}
