// Red team (tests/redteam.rs): secrets through the compiler. `option_env!` reads
// the compiler's environment while the solution is built: an API key there
// ends up inside the program, which prints it. The compile must not see ale's
// environment. Solves tsp with the identity tour.
use std::io::Read;

const SECRETS: [(&str, Option<&str>); 4] = [
    ("ALE_LLM_API_KEY", option_env!("ALE_LLM_API_KEY")),
    ("OPENAI_API_KEY", option_env!("OPENAI_API_KEY")),
    ("ANTHROPIC_API_KEY", option_env!("ANTHROPIC_API_KEY")),
    ("ALE_HOME", option_env!("ALE_HOME")),
];
// Not a secret by itself: the test compares it with the real home folder.
const HOME: Option<&str> = option_env!("HOME");

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    for (name, value) in SECRETS {
        match value {
            Some(v) => eprintln!("LEARNED: {name}={v} at compile time"),
            None => eprintln!("BLOCKED: {name} is not in the compiler's environment"),
        }
    }
    eprintln!("INFO: compile-time HOME={}", HOME.unwrap_or("<unset>"));

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
