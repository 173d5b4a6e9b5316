//! The command line, part of the `ale` binary (not of the library): clap
//! parses one options value per subcommand, and each file turns it into the
//! plain options the library takes; the only code that prints.
//! Exit status: 0 success, 1 a case or an output failed, 2 usage or configuration error.

/// `println!` for the command line: a closed stdout (`ale problems | head`)
/// ends ale quietly instead of panicking.
macro_rules! outln {
    ($($t:tt)*) => { $crate::cli::write_out(&format!("{}\n", format_args!($($t)*))) };
}

/// `print!` for the command line, as [`outln!`].
macro_rules! out {
    ($($t:tt)*) => { $crate::cli::write_out(&format!($($t)*)) };
}

mod bench;
mod check;
mod doctor;
mod gen;
mod history;
mod import;
mod import_pahcer;
mod params;
mod problems;
mod rank;
mod run;
mod score;
mod serve;
mod solve;
mod submit;
mod tune;
mod vis;
mod workers;

use ale::error::Error;
use ale::judge::sandbox::Sandbox;
use ale::paths::Paths;
use ale::problem::Registry;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "ale",
    version,
    about = "Local judge, runner and solver for AtCoder-style heuristic problems"
)]
pub struct Cli {
    /// Extra problems folder (each problem in <DIR>/<id>/problem.toml); default ./problems
    #[arg(long, global = true, env = "ALE_PROBLEMS", value_name = "DIR")]
    pub problems_dir: Option<PathBuf>,

    /// The SQLite store; default <ALE_HOME or .ale>/ale.db
    #[arg(long, global = true, value_name = "PATH")]
    pub store: Option<PathBuf>,

    /// Run solutions without bubblewrap (resource limits still apply)
    #[arg(long, global = true)]
    pub no_sandbox: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List the problems with their objective, limits and kind
    Problems(problems::Args),
    /// Write generated inputs DIR/0000.txt, ...
    Gen(gen::Args),
    /// Score one output: prints `Score = N`
    Score(score::Args),
    /// Run a solution on many cases in parallel
    Run(run::Args),
    /// List past runs of a problem, newest first
    History(history::Args),
    /// Draw an input and an output as SVG, and print `Score = N`
    Vis(vis::Args),
    /// Run every solver of every problem against its baseline and the recorded figures
    Check(check::Args),
    /// Report which protections and tools are active, and why not
    Doctor(doctor::Args),
    /// Make a problem of a contest's tools folder (gen, vis)
    Import(import::Args),
    /// Make a problem of a pahcer configuration
    #[command(name = "import-pahcer")]
    ImportPahcer(import_pahcer::Args),
    /// List the tunable constants (`ale:param` annotations) of a solution
    Params(params::Args),
    /// Tune a solution's annotated constants: racing over seeds under a time budget
    Tune(tune::Args),
    /// Judge a solution on the public and private seeds and write a submission folder
    Submit(submit::Args),
    /// Where a total score would have placed in the problem's contest, and its performance
    Rank(rank::Args),
    /// Search for a better solution under a time budget, then submit the best
    Solve(Box<solve::Args>),
    /// Search every problem of a set in turn and tabulate rank and performance
    Bench(bench::Args),
    /// List search sessions with their best scores
    Sessions(solve::SessionsArgs),
    /// Show a session's candidates: operators, lineage, scores
    Show(solve::ShowArgs),
    /// Serve the store read-only as web pages: sessions, candidates, cases, model calls
    Serve(serve::Args),
}

/// The first Ctrl-C sets `stop` (the work in hand finishes and is kept) and
/// says `what` happens now; a second one quits at once.
pub fn stop_on_ctrl_c(stop: &std::sync::Arc<std::sync::atomic::AtomicBool>, what: &'static str) {
    let stop = stop.clone();
    let _ = ctrlc::set_handler(move || {
        if stop.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\n{what}");
    });
}

/// What a subcommand needs from the global options.
pub struct Context {
    pub paths: Paths,
    problems_dir: Option<PathBuf>,
    no_sandbox: bool,
}

impl Context {
    /// The sandbox solutions run in; says once on stderr when there is none
    /// that the user did not turn off. With `ALE_REQUIRE_SANDBOX=1`, no box
    /// is an error naming what is missing, never a silent downgrade.
    pub fn sandbox(&self) -> Result<Sandbox, Error> {
        if self.no_sandbox {
            return Ok(Sandbox::disabled());
        }
        let sandbox = Sandbox::detect();
        let required = std::env::var("ALE_REQUIRE_SANDBOX").as_deref() == Ok("1");
        if let (true, Sandbox::Bubblewrap(_)) = (required, &sandbox) {
            if let ale::judge::sandbox::cgroup::Accounting::Wait4(why) =
                ale::judge::sandbox::cgroup::detect()
            {
                return Err(Error::Usage(format!(
                    "ALE_REQUIRE_SANDBOX=1 and cases cannot be measured from outside the box: {why}"
                )));
            }
        }
        if let Sandbox::Off(reason) = &sandbox {
            if required {
                return Err(Error::Usage(format!(
                    "ALE_REQUIRE_SANDBOX=1 and there is no box: {reason}"
                )));
            }
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                eprintln!("warning: solutions run with resource limits only, not boxed: {reason}")
            });
        }
        Ok(sandbox)
    }

    /// Whether `--no-sandbox` was given.
    pub fn sandbox_turned_off(&self) -> bool {
        self.no_sandbox
    }

    /// Where new problems are written: `--problems-dir`, or ./problems.
    pub fn problems_folder(&self) -> PathBuf {
        self.problems_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("problems"))
    }

    /// The problems: built-in ones plus the problems folder.
    pub fn registry(&self) -> Result<Registry, Error> {
        let default = PathBuf::from("problems");
        let dir = match &self.problems_dir {
            Some(dir) => {
                if !dir.is_dir() {
                    return Err(Error::Usage(format!(
                        "{}: the problems folder does not exist (from --problems-dir or ALE_PROBLEMS)",
                        dir.display()
                    )));
                }
                Some(dir.as_path())
            }
            None => default.is_dir().then_some(default.as_path()),
        };
        Registry::load(dir)
    }
}

/// Writes to stdout; when the reader has gone, exits at once.
pub(crate) fn write_out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        std::process::exit(0);
    }
}

/// Runs the command line and returns the exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let ctx = Context {
        paths: Paths::new(None, cli.store.clone()),
        problems_dir: cli.problems_dir.clone(),
        no_sandbox: cli.no_sandbox,
    };
    let result = match cli.command {
        Command::Problems(args) => problems::main(&ctx, args),
        Command::Gen(args) => gen::main(&ctx, args),
        Command::Score(args) => score::main(&ctx, args),
        Command::Run(args) => run::main(&ctx, args),
        Command::History(args) => history::main(&ctx, args),
        Command::Vis(args) => vis::main(&ctx, args),
        Command::Check(args) => check::main(&ctx, args),
        Command::Doctor(args) => doctor::main(&ctx, args),
        Command::Import(args) => import::main(&ctx, args),
        Command::ImportPahcer(args) => import_pahcer::main(&ctx, args),
        Command::Params(args) => params::main(&ctx, args),
        Command::Tune(args) => tune::main(&ctx, args),
        Command::Submit(args) => submit::main(&ctx, args),
        Command::Rank(args) => rank::main(&ctx, args),
        Command::Solve(args) => solve::main(&ctx, *args),
        Command::Sessions(args) => solve::sessions(&ctx, args),
        Command::Bench(args) => bench::main(&ctx, args),
        Command::Show(args) => solve::show(&ctx, args),
        Command::Serve(args) => serve::main(&ctx, args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
