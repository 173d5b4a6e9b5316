// Red team (tests/redteam.rs): what can a solution see of the other processes?
// It lists /proc and reads every command line, environment and root folder it
// can: the judge itself (`ale`), an API key in anyone's environment, or a root
// folder other than its own is something learned. Solves tsp with the identity
// tour. Values of the keys are shown only when they are the test's fake ones.
use std::io::Read;
use std::os::unix::fs::MetadataExt;

const KEYS: [&str; 2] = ["ALE_LLM_API_KEY", "OPENAI_API_KEY"];

fn shown(value: &[u8]) -> String {
    let value = String::from_utf8_lossy(value);
    if value.contains("redteam") {
        value.into_owned()
    } else {
        format!("<{} bytes>", value.len())
    }
}

/// The keys among `vars` (`NAME=value` entries), with their values.
fn keys_in<'a>(vars: impl Iterator<Item = &'a [u8]>) -> Vec<String> {
    let mut found = Vec::new();
    for var in vars {
        for key in KEYS {
            if let Some(value) = var.strip_prefix(format!("{key}=").as_bytes()) {
                found.push(format!("{key}={}", shown(value)));
            }
        }
    }
    found
}

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    let me = std::process::id();
    let own_root = std::fs::metadata("/").map(|m| (m.dev(), m.ino())).ok();
    let mut pids: Vec<u32> = std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    pids.sort();
    let mut seen = Vec::new();
    let mut refused = Vec::new();
    for &pid in pids.iter().filter(|&&p| p != me) {
        let proc = format!("/proc/{pid}");
        let cmdline = std::fs::read(format!("{proc}/cmdline")).unwrap_or_default();
        let argv: Vec<&[u8]> = cmdline
            .split(|&b| b == 0)
            .filter(|a| !a.is_empty())
            .collect();
        let shown_cmd: String = String::from_utf8_lossy(&argv.join(&b' '))
            .chars()
            .take(100)
            .collect();
        seen.push(format!(
            "{pid} {}",
            shown_cmd.chars().take(30).collect::<String>()
        ));
        let runs_ale = argv
            .iter()
            .any(|a| a.rsplit(|&b| b == b'/').next() == Some(b"ale".as_slice()));
        if runs_ale {
            eprintln!("LEARNED: pid {pid} is the judge: {shown_cmd}");
        }
        match std::fs::read(format!("{proc}/environ")) {
            Ok(environ) => {
                for key in keys_in(environ.split(|&b| b == 0)) {
                    eprintln!("LEARNED: pid {pid} has {key} in its environment");
                }
            }
            // One line for all refusals: kernel threads alone are dozens.
            Err(e) => refused.push(format!("{pid} {}", e.raw_os_error().unwrap_or(0))),
        }
        let root = format!("{proc}/root");
        let other = std::fs::metadata(&root)
            .ok()
            .map(|m| (m.dev(), m.ino()))
            .filter(|r| Some(*r) != own_root);
        if other.is_some() {
            if let Ok(dir) = std::fs::read_dir(&root) {
                let mut names: Vec<String> = dir
                    .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
                    .collect();
                names.sort();
                names.truncate(8);
                eprintln!(
                    "LEARNED: {root} is another root, listing {}",
                    names.join(" ")
                );
            }
        }
    }
    if !refused.is_empty() {
        let list: String = refused.join(", ").chars().take(300).collect();
        eprintln!(
            "BLOCKED: {} environments refused (pid errno): {list}",
            refused.len()
        );
    }
    let list: String = seen.join(", ").chars().take(400).collect();
    eprintln!("INFO: {} other processes: {list}", seen.len());

    let names: Vec<String> = std::env::vars_os()
        .map(|(k, _)| k.to_string_lossy().into_owned())
        .collect();
    eprintln!("INFO: own environment: {}", names.join(" "));
    let own: Vec<Vec<u8>> = std::env::vars_os()
        .map(|(k, v)| [k.as_encoded_bytes(), b"=", v.as_encoded_bytes()].concat())
        .collect();
    for key in keys_in(own.iter().map(Vec::as_slice)) {
        eprintln!("LEARNED: its own environment has {key}");
    }

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
