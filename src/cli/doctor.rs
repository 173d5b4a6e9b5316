//! `ale doctor`: which protections and tools this machine gives ale, and why not.

use super::Context;
use ale::error::Error;
use ale::judge::languages::Languages;
use ale::judge::sandbox::Sandbox;
use ale::judge::{launcher, Limits, PROCESS_LIMIT};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Check these workers too (as `--workers` takes them); default
    /// [workers] in ale.toml
    #[arg(long, value_name = "KIND:N,...")]
    pub workers: Option<String>,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let line = |what: &str, state: &str, detail: String| outln!("{what:<16} {state:<4} {detail}");
    // The doctor reports what is missing rather than refusing for it.
    let sandbox = if ctx.sandbox_turned_off() {
        Sandbox::disabled()
    } else {
        Sandbox::detect()
    };
    match &sandbox {
        Sandbox::Bubblewrap(path) => line(
            "sandbox",
            "on",
            format!(
                "bubblewrap ({}): /usr and the loader's files only, read-only; no network; each case in its own PID and mount namespaces with a fresh /proc and its own {} MiB tmpfs folder, as {}, no capabilities, no_new_privs, a seccomp filter; compiles boxed the same way",
                path.display(),
                ale::judge::sandbox::DISK_LIMIT_BYTES >> 20,
                // SAFETY: geteuid has no preconditions.
                if unsafe { libc::geteuid() } == 0 {
                    format!("uid {}+ (it owns nothing)", ale::judge::sandbox::BOX_UID_BASE)
                } else {
                    "your uid in a user namespace".to_string()
                }
            ),
        ),
        Sandbox::Off(reason) => line("sandbox", "off", reason.clone()),
    }
    if let Sandbox::Bubblewrap(bwrap) = &sandbox {
        // A real case in the box: bubblewrap may start while the case's own
        // namespaces, mounts or cgroups cannot be made.
        let mut limits = Limits::new(5000, 256, 1.5);
        limits.sandbox = Some(bwrap.clone());
        match ale::judge::execute(&["/usr/bin/true"], b"", &limits) {
            Ok(run) if run.exit == ale::judge::Exit::Code(0) => line(
                "box test",
                "on",
                format!(
                    "a case ran in the box ({} ms wall, {} KiB)",
                    run.wall.as_millis(),
                    run.peak_memory_kb
                ),
            ),
            Ok(run) => line(
                "box test",
                "off",
                format!(
                    "a case in the box ended with {}: {}",
                    run.exit,
                    run.stderr_tail.trim()
                ),
            ),
            Err(e) => line(
                "box test",
                "off",
                format!("a case could not run in the box: {e}"),
            ),
        }
    }
    let accounting = ale::judge::sandbox::cgroup::detect();
    let on = !matches!(
        accounting,
        ale::judge::sandbox::cgroup::Accounting::Wait4(_)
    );
    line(
        "measurement",
        if on { "on" } else { "off" },
        format!(
            "{}; time is max(wall, user + sys) as on the contest's judge",
            accounting.describe()
        ),
    );
    let limits = Limits::new(2000, 1024, 1.5);
    line(
        "limits",
        "on",
        format!(
            "address space 2 x memory limit + 256 MiB ({} MiB for 1024), CPU time kill deadline + 2 s, files {} MiB, {} processes and threads, no core files",
            limits.address_space_bytes >> 20,
            limits.output_limit_bytes >> 20,
            PROCESS_LIMIT,
        ),
    );
    line(
        "process group",
        "on",
        "each case in its own group, killed at the deadline and after it ends".into(),
    );
    match launcher() {
        Some(path) => line(
            "spawn server",
            "on",
            format!("{}: peak memory is the solution's own", path.display()),
        ),
        None => line(
            "spawn server",
            "off",
            "the ale binary was not found beside this program (set ALE_BIN): solutions are forked from it and their peak memory may include its pages".into(),
        ),
    }
    let languages = Languages::load(&ctx.paths.home)?;
    for language in languages.all() {
        let name = format!("language {}", language.name);
        let Some(program) = language.version.first().or(language.run.first()) else {
            continue;
        };
        let program = if program == "rustc" {
            std::env::var("ALE_RUSTC").unwrap_or_else(|_| program.clone())
        } else {
            program.clone()
        };
        let args = if language.version.is_empty() {
            &[][..]
        } else {
            &language.version[1..]
        };
        match std::process::Command::new(&program).args(args).output() {
            Ok(out) if out.status.success() => {
                let text = String::from_utf8_lossy(&out.stdout);
                line(&name, "on", text.lines().next().unwrap_or("").to_string())
            }
            _ => line(
                &name,
                "off",
                format!(
                    "`{program}` does not run: .{} solutions cannot be used (install it or change <ALE_HOME>/languages.toml)",
                    language.extensions.join(", .")
                ),
            ),
        }
    }
    for (what, on, detail) in super::workers::doctor(args.workers.as_deref())? {
        line(what, if on { "on" } else { "off" }, detail);
    }
    line("store", "", ctx.paths.store.display().to_string());
    Ok(0)
}
