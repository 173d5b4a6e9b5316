// Red team (tests/redteam.rs): which of the host's files can a solution read?
// It tries a fixed list of secrets and private folders, the folder of its own
// program, and the paths the test writes in place of the placeholder below
// (the store, ale's home, the repository, the `ale` binary). It also runs the
// `ale` binary it finds there to generate a private seed's input. Solves tsp
// with the identity tour. Files' contents are never shown, only their kind.
use std::io::Read;
use std::path::{Path, PathBuf};

const HOST_PATHS: &str = "@@PATHS@@";

const GUESSES: [&str; 8] = [
    "/root",
    "/home",
    "/etc/shadow",
    "/work",
    "/var/log",
    "/srv",
    "/mnt",
    "/media",
];

/// What a file is, without a byte of its contents beyond a first word.
fn kind(bytes: &[u8]) -> String {
    if bytes.starts_with(b"SQLite format 3") {
        "an SQLite database".into()
    } else if bytes.starts_with(b"\x7fELF") {
        "an ELF executable".into()
    } else {
        let word: String = String::from_utf8_lossy(bytes)
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(12)
            .collect();
        format!("text starting `{word}`")
    }
}

/// Lists a folder or reads a file; `mine` is left out of a listing.
fn try_path(path: &Path, mine: Option<&Path>) {
    let shown = path.display();
    match std::fs::metadata(path) {
        Err(e) => eprintln!("BLOCKED: {shown}: {e}"),
        Ok(m) if m.is_dir() => match std::fs::read_dir(path) {
            Err(e) => eprintln!("BLOCKED: {shown}: {e}"),
            Ok(dir) => {
                let mut names: Vec<String> = dir
                    .filter_map(|e| e.ok())
                    .filter(|e| Some(e.path().as_path()) != mine)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect();
                names.sort();
                if names.is_empty() {
                    eprintln!("BLOCKED: {shown}: an empty folder");
                } else {
                    let count = names.len();
                    names.truncate(6);
                    eprintln!("LEARNED: {shown} lists {count}: {}", names.join(" "));
                }
            }
        },
        Ok(_) => match std::fs::read(path) {
            Err(e) => eprintln!("BLOCKED: {shown}: {e}"),
            Ok(bytes) => eprintln!("LEARNED: {shown}: {} bytes, {}", bytes.len(), kind(&bytes)),
        },
    }
}

/// Runs the judge's own binary to make a private seed's input.
fn run_ale(ale: &Path) {
    let out = std::env::current_dir().unwrap_or_default().join("ale-gen");
    let ran = std::process::Command::new(ale)
        .args(["gen", "tsp", "--seeds", "1000..1001", "--out"])
        .arg(&out)
        .output();
    match ran {
        Err(e) => eprintln!("BLOCKED: running {}: {e}", ale.display()),
        Ok(o) if !o.status.success() => eprintln!("BLOCKED: {} gen: {}", ale.display(), o.status),
        Ok(_) => {
            let input = std::fs::read_to_string(out.join("1000.txt")).unwrap_or_default();
            eprintln!(
                "LEARNED: ran {} gen: private seed 1000 has {} bytes, N = {}",
                ale.display(),
                input.len(),
                input.lines().next().unwrap_or("?")
            );
        }
    }
}

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    for guess in GUESSES {
        try_path(Path::new(guess), None);
    }
    // Its own folder is fine when it is the working folder (a copy in scratch),
    // not when it is the judge's build cache, next to the source and others.
    let cwd = std::env::current_dir().ok();
    if let Ok(exe) = std::env::current_exe() {
        if let Some(folder) = exe.parent().filter(|f| Some(f.to_path_buf()) != cwd) {
            try_path(folder, Some(&exe));
            if let Ok(dir) = std::fs::read_dir(folder) {
                for sibling in dir.filter_map(|e| e.ok()).map(|e| e.path()) {
                    if sibling != exe && sibling.is_file() {
                        try_path(&sibling, None);
                    }
                }
            }
        }
    }
    let host: Vec<PathBuf> = HOST_PATHS.split(',').map(PathBuf::from).collect();
    for path in &host {
        try_path(path, None);
    }
    for ale in host
        .iter()
        .filter(|p| p.file_name().is_some_and(|f| f == "ale"))
    {
        run_ale(ale);
    }

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
