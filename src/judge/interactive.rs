//! Interactive problems: the judge's session talks to the solution line by line
//! over its stdin and stdout while the usual limits apply.

use super::execute::{read_tail, spawn, Execution, Over};
use super::Limits;
use scorers::{Session, Step, WrongAnswer};
use std::io::{self, BufRead, BufReader, Write};
use std::thread;

/// The solution's lines of a transcript (the `> ` lines, without the mark), or
/// `None` when `text` is not a transcript: some non-empty line has neither mark.
pub fn solution_lines(text: &str) -> Option<String> {
    let mut lines = String::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(said) = line.strip_prefix("> ") {
            lines.push_str(said);
            lines.push('\n');
        } else if !line.starts_with("< ") {
            return None;
        }
    }
    Some(lines)
}

/// What the interactive judge made of a run.
#[derive(Debug, Clone)]
pub struct Interaction {
    /// The session's score, or why it rejected the solution.
    pub result: Result<i64, WrongAnswer>,
    /// Every line of the exchange: `< ` from the judge, `> ` from the solution.
    pub transcript: String,
}

/// Runs a command line against `session`; returns the execution (its stdout is the lines
/// the solution wrote) and the session's result.
pub fn execute_interactive(
    command: &[impl AsRef<std::ffi::OsStr>],
    mut session: Box<dyn Session>,
    limits: &Limits,
) -> io::Result<(Execution, Interaction)> {
    let (spawned, mut stdin, stdout, stderr) = spawn(command, limits, None)?;
    let killer = spawned.killer();
    let cap = limits.output_limit_bytes;
    let over = Over::default();
    let (stdout, stderr) = (over.pipe(stdout), over.pipe(stderr));

    thread::scope(|scope| {
        let relay = scope.spawn(move || {
            let mut written = Vec::new();
            let mut transcript = String::new();
            let mut reader = BufReader::new(stdout);
            let say = |transcript: &mut String, text: &str| {
                for line in text.lines() {
                    transcript.push_str("< ");
                    transcript.push_str(line);
                    transcript.push('\n');
                }
            };
            // A solution that exits early closes the pipe: a failed write is
            // not the judge's error, the session decides at end of output.
            let opening = session.opening();
            say(&mut transcript, &opening);
            let _ = stdin.write_all(opening.as_bytes());
            let _ = stdin.flush();
            let mut line = Vec::new();
            let result = loop {
                line.clear();
                // Never hold more than the output cap, even of one endless line.
                let room = (cap - written.len()) as u64;
                match io::Read::take(&mut reader, room + 1).read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break Err(session.end_of_output()),
                    Ok(_) => {}
                }
                if written.len() + line.len() > cap {
                    killer.kill();
                    let overflow = Err(WrongAnswer("output limit".into()));
                    return (written, transcript, overflow, true);
                }
                written.extend_from_slice(&line);
                let Ok(text) = std::str::from_utf8(&line) else {
                    break Err(WrongAnswer(format!(
                        "line {} of the solution's output is not valid UTF-8",
                        written.iter().filter(|&&b| b == b'\n').count()
                    )));
                };
                let text = text.trim_end_matches(['\n', '\r']);
                transcript.push_str("> ");
                transcript.push_str(text);
                transcript.push('\n');
                match session.line(text) {
                    Step::Reply(reply) => {
                        say(&mut transcript, &reply);
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
            (written, transcript, result, false)
        });
        let err = scope.spawn(move || read_tail(stderr, limits.stderr_bytes));
        let ended = spawned.wait(limits.kill_after);
        over.now();
        let (stdout, transcript, result, output_overflow) = relay.join().expect("relay thread");
        let stderr_tail = err.join().expect("stderr reader");
        Ok((
            Execution::new(ended?, stdout, stderr_tail, output_overflow),
            Interaction { result, transcript },
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::solution_lines;

    #[test]
    fn transcripts_give_back_the_solution_lines() {
        let t = "< 10 2 3 0\n> ? 0 5\n< 5\n> ! 9 6 0 5\n";
        assert_eq!(solution_lines(t).as_deref(), Some("? 0 5\n! 9 6 0 5\n"));
        assert_eq!(solution_lines("? 0 5\n! 9 6 0 5\n"), None);
    }
}
