//! Interactive problems: the judge's session talks to the solution line by line
//! over its stdin and stdout while the usual limits apply.

use super::execute::{kill_group, read_tail, spawn, Execution};
use super::Limits;
use scorers::{Session, Step, WrongAnswer};
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::thread;

/// Runs `exe` against `session`; returns the execution (its stdout is the lines
/// the solution wrote) and the session's result.
pub fn execute_interactive(
    exe: &Path,
    mut session: Box<dyn Session>,
    limits: &Limits,
) -> io::Result<(Execution, Result<i64, WrongAnswer>)> {
    let (spawned, mut stdin, stdout, stderr) = spawn(exe, limits)?;
    let pid = spawned.pid;
    let cap = limits.output_limit_bytes;

    thread::scope(|scope| {
        let relay = scope.spawn(move || {
            let mut written = Vec::new();
            let mut reader = BufReader::new(stdout);
            // A solution that exits early closes the pipe: a failed write is
            // not the judge's error, the session decides at end of output.
            let _ = stdin.write_all(session.opening().as_bytes());
            let _ = stdin.flush();
            let mut line = Vec::new();
            let result = loop {
                line.clear();
                match reader.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break Err(session.end_of_output()),
                    Ok(_) => {}
                }
                if written.len() + line.len() > cap {
                    kill_group(pid);
                    return (written, Err(WrongAnswer("output limit".into())), true);
                }
                written.extend_from_slice(&line);
                let Ok(text) = std::str::from_utf8(&line) else {
                    break Err(WrongAnswer(format!(
                        "line {} of the solution's output is not valid UTF-8",
                        written.iter().filter(|&&b| b == b'\n').count()
                    )));
                };
                match session.line(text.trim_end_matches(['\n', '\r'])) {
                    Step::Reply(reply) => {
                        let _ = stdin.write_all(reply.as_bytes());
                        let _ = stdin.flush();
                    }
                    Step::Silent => {}
                    Step::Done(result) => break result,
                }
            };
            // Closing stdin tells the solution the interaction is over; what it
            // still writes is drained so that a trailing line does not break its pipe.
            drop(stdin);
            let _ = io::copy(&mut io::Read::take(reader, cap as u64), &mut io::sink());
            (written, result, false)
        });
        let err = scope.spawn(move || read_tail(stderr));
        let ended = spawned.wait(limits.kill_after);
        let (stdout, result, output_overflow) = relay.join().expect("relay thread");
        let stderr_tail = err.join().expect("stderr reader");
        let ended = ended?;
        Ok((
            Execution {
                exit: ended.exit,
                wall: ended.wall,
                peak_memory_kb: ended.peak_memory_kb,
                stdout,
                stderr_tail,
                output_overflow,
                killed_by_timer: ended.killed_by_timer,
            },
            result,
        ))
    })
}
