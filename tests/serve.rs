//! `ale serve` over HTTP on loopback: the real binary over a store filled by
//! a real `ale solve` with a scripted model (a command), every page checked
//! against what the store holds, the 404s and 400s, live events when another
//! process writes the store, and the stores it refuses to start on.

mod common;

use common::{ale, assert_ok, solution};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A process of the test, stopped when dropped (a failed assertion included).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A running `ale serve`, stopped when dropped.
struct Server {
    child: Child,
    address: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `ale serve --port 0` over `store` and reads the address from its
/// first line.
fn serve(store: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ale"))
        .args(["serve", "--port", "0", "--store"])
        .arg(store)
        .env_remove("ALE_PROBLEMS")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("ale starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("ale serve: listening on http://127.0.0.1:")
            && line.contains("this machine only")
            && line.contains("read-only"),
        "{line}"
    );
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Server { child, address }
}

/// A GET over a fresh connection: the status and the body.
fn get(address: SocketAddr, path: &str) -> (u16, String) {
    let response = raw_get(address, path);
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
    // Bodies come whole or chunked; a chunked one is joined back.
    let body = if head.contains("transfer-encoding: chunked") {
        unchunk(body)
    } else {
        body.to_string()
    };
    (status, body)
}

/// The whole answer to a GET, its head in lower case.
fn raw_get(address: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8(response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    format!("{}\r\n\r\n{body}", head.to_ascii_lowercase())
}

fn unchunk(mut rest: &str) -> String {
    let mut body = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n").unwrap();
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        if size == 0 {
            return body;
        }
        body.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
}

/// `get` that expects a 200.
fn page(server: &Server, path: &str) -> String {
    let (status, body) = get(server.address, path);
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// tsp_passes.rs with PASSES set and its annotation gone.
fn passes(n: u32) -> String {
    std::fs::read_to_string(solution("tsp_passes.rs"))
        .unwrap()
        .replace(
            "const PASSES: u32 = 0; // ale:param 0..8",
            &format!("const PASSES: u32 = {n};"),
        )
}

/// What a model could write to get into the page: it must show as text.
const HOSTILE: &str = "// <script>alert(\"start\")</script>";

/// A short search of tsp from start.rs by the improve operator alone, its
/// model the shell `command`.
fn scripted_solve(command: &str) -> [&str; 17] {
    [
        "solve",
        "tsp",
        "--budget",
        "2m",
        "--seeds",
        "0..6",
        "--private-seeds",
        "1000..1003",
        "-j",
        "2",
        "--only-from",
        "--from",
        "start.rs",
        "--operators",
        "improve",
        "--llm-cmd",
        command,
    ]
}

/// A store with one finished session: a starting solver (with [`HOSTILE`]
/// in it) and the child a scripted model made of it, then the submission's
/// runs.
fn solved(dir: &Path) -> std::path::PathBuf {
    std::fs::write(
        dir.join("start.rs"),
        format!(
            "{HOSTILE}\n{}",
            std::fs::read_to_string(solution("tsp_passes.rs")).unwrap()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("reply.md"),
        format!("Here:\n```rust\n{}```\n", passes(4)),
    )
    .unwrap();
    std::fs::create_dir(dir.join("seen")).unwrap();
    // The first prompt gets a program; later ones get none, and the search ends.
    let command = "n=$(ls seen | wc -l); cat > seen/$n.txt; \
                   if [ $n = 0 ]; then cat reply.md; else echo 'No more ideas.'; fi";
    let o = ale(dir, &scripted_solve(command));
    assert_ok(&o);
    dir.join(".ale/ale.db")
}

#[test]
fn every_page_shows_what_the_store_holds_and_follows_a_second_writer() {
    let dir = tempfile::tempdir().unwrap();
    let db = solved(dir.path());
    let store = ale::store::Store::open_read_only(&db).unwrap();
    let candidates = store.candidates(1).unwrap();
    assert_eq!(candidates.len(), 2, "{candidates:?}");
    let (root, child) = (&candidates[0], &candidates[1]);
    assert_eq!(child.parent, Some(root.id));
    let server = serve(&db);

    // The links ale prints lead to these pages: ale show's, and the
    // submission's report.md's.
    let base = format!("http://{}", server.address);
    let o = Command::new(env!("CARGO_BIN_EXE_ale"))
        .args(["show", "1"])
        .current_dir(dir.path())
        .env("ALE_HOME", dir.path().join(".ale"))
        .env("ALE_SERVE_URL", format!("{base}/"))
        .output()
        .unwrap();
    assert_ok(&o);
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(
        shown.contains(&format!(
            "in the browser (`ale serve`): {base}/sessions/1\n"
        )),
        "{shown}"
    );
    let folder = store.session(1).unwrap().unwrap().submission.unwrap();
    let report = std::fs::read_to_string(dir.path().join(folder).join("report.md")).unwrap();
    let linked: Vec<&str> = report
        .split("http://127.0.0.1:8080")
        .skip(1)
        .map(|rest| rest.split([',', '.', ' ', '\n']).next().unwrap())
        .collect();
    assert_eq!(linked.len(), 3, "{report}");
    assert!(linked[2] == "/sessions/1", "{report}");
    for path in linked {
        page(&server, path);
    }

    // Home: the problem, the session with its figures, the submission's runs.
    let home = page(&server, "/");
    assert!(home.contains("<h2 id=\"tsp\">tsp</h2>"), "{home}");
    assert!(
        home.contains("<a href=\"/sessions/1\">session 1</a>"),
        "{home}"
    );
    let runs = store.runs("tsp", 10).unwrap();
    assert!(!runs.is_empty());
    for r in &runs {
        assert!(home.contains(&format!("href=\"/runs/{}\"", r.id)), "{home}");
    }
    // A run: a row per case, each linking to its page.
    let shown = page(&server, &format!("/runs/{}", runs[0].id));
    let verdicts = store.case_scores(runs[0].id).unwrap();
    let table = shown
        .split("<table class=\"sortable cases\">")
        .nth(1)
        .unwrap();
    assert_eq!(table.matches("<tr>").count(), verdicts.len() + 1, "{table}");
    for (i, (verdict, score)) in verdicts.iter().enumerate() {
        let link = format!(
            "<td><a href=\"/runs/{}/cases/{i}\">{i}</a></td>",
            runs[0].id
        );
        let figures = format!("<td>{}</td><td>{}</td>", verdict.as_str(), score.unwrap());
        assert!(table.contains(&link) && table.contains(&figures), "{table}");
    }

    // The session: one tree node per candidate, the chart, the model calls.
    let session = page(&server, "/sessions/1");
    assert_eq!(
        session.matches("<g class=\"node").count(),
        candidates.len(),
        "{session}"
    );
    for c in &candidates {
        assert!(session.contains(&format!("href=\"/sessions/1/candidates/{}\"", c.id)));
    }
    assert!(session.contains("<svg class=\"chart\""), "{session}");
    let calls = store.llm_call_log(1).unwrap();
    assert!(
        session.contains(&format!("<dd>{} (0 in flight)</dd>", calls.len())),
        "{session}"
    );
    assert!(session.contains("data-events=\"/api/sessions/1/events\""));
    // The budget it was given (--budget 2m) and the seconds it took: those of
    // its newest candidate.
    let newest = candidates.last().unwrap().created_s;
    let used = format!("{newest:.1} s of 120 s");
    assert!(
        session.contains(&format!("<dd class=\"budget\">{used}</dd>")),
        "{session}"
    );
    assert!(home.contains(&format!("<td>{used}</td>")), "{home}");
    // The bandits, from the figures the search recorded at each choice: a
    // chart of the values and one of the choices for each of the two.
    let choices = store.bandit_choices(1).unwrap();
    let of = |bandit: &str| -> Vec<&ale::store::BanditChoice> {
        choices.iter().filter(|c| c.bandit == bandit).collect()
    };
    let (operator, model) = (of("operator"), of("model"));
    assert!(!operator.is_empty() && !model.is_empty(), "{choices:?}");
    assert!(
        operator.iter().all(|c| c.chosen == "improve"),
        "{operator:?}"
    );
    assert_eq!(session.matches("<svg class=\"chart bandit\"").count(), 2);
    assert_eq!(session.matches("<svg class=\"chart counts\"").count(), 2);
    assert!(session.contains("<h2>Operators' bandit</h2>"), "{session}");
    assert!(session.contains(&format!("At each of its {} choices", operator.len())));
    // Each arm's line of choices steps once per choice of it.
    let chart = |from: &str| {
        session
            .split(from)
            .nth(1)
            .unwrap()
            .split("</svg>")
            .next()
            .unwrap()
            .to_string()
    };
    let counts = chart("<svg class=\"chart counts\"");
    assert!(
        counts.contains(&format!(">improve ({})</text>", operator.len())),
        "{counts}"
    );
    // (One model, a command, whose name the legend cuts short.)
    assert!(model.iter().all(|c| c.chosen.starts_with("command: ")));
    let models = session.split("<h2>Models' bandit</h2>").nth(1).unwrap();
    let counts = models.split("<svg class=\"chart counts\"").nth(1).unwrap();
    let counts = counts.split("</svg>").next().unwrap();
    assert!(
        counts.contains(&format!(
            ">command: n=$(ls s\u{2026} ({})</text>",
            model.len()
        )),
        "{counts}"
    );
    // The legend gives the figures of the last choice: the uses are the
    // choices before it, the value as recorded.
    let last = operator.last().unwrap();
    let improve = &last.arms[0];
    assert_eq!(improve.uses, operator.len() - 1);
    let values = chart("<svg class=\"chart bandit\"");
    assert!(
        values.contains(&format!(">improve: {} uses, mean ", improve.uses)),
        "{values}"
    );
    assert_eq!(values.matches("class=\"ucb\"").count(), 1, "{values}");
    assert_eq!(values.matches("class=\"mean\"").count(), 1, "{values}");

    // The model's child: its diff against the start and its cases.
    let path = format!("/sessions/1/candidates/{}", child.id);
    let shown = page(&server, &path);
    assert!(
        shown.contains("-const PASSES: u32 = 0; // ale:param 0..8</span>"),
        "{shown}"
    );
    assert!(shown.contains("+const PASSES: u32 = 4;</span>"), "{shown}");
    let cases = store.candidate_cases(child.id).unwrap();
    assert_eq!(cases.len(), 6);
    let table = shown
        .split("<table class=\"sortable cases\">")
        .nth(1)
        .unwrap();
    let table = table.split("</table>").next().unwrap();
    assert_eq!(table.matches("<tr>").count(), cases.len() + 1, "{table}");
    let first = &cases[0];
    assert!(
        table.contains(&format!(
            "<td><a href=\"{path}/cases/{}\">{}</a></td><td>{}</td><td>{}</td>",
            first.seed,
            first.seed,
            first.verdict.as_str(),
            first.score.unwrap()
        )),
        "{table}"
    );
    assert!(shown.contains("ran every public seed (6)"), "{shown}");
    // Each case's peak memory, as the judge measured it.
    let memory = first.memory_kb.unwrap();
    assert!(memory > 0, "{first:?}");
    assert!(
        table.contains(&format!("<td>{}</td><td>{memory}</td></tr>", first.time_ms)),
        "{table}"
    );
    // A point per seed in each chart: its relative score, its time.
    assert_eq!(shown.matches("<svg class=\"chart scatter\"").count(), 2);
    assert_eq!(
        shown.matches("<circle class=\"point\"").count(),
        12,
        "{shown}"
    );
    let call = calls
        .iter()
        .find(|c| c.candidate == Some(child.id))
        .unwrap();
    assert!(shown.contains(&format!("href=\"/sessions/1/calls/{}\"", call.id)));
    // Sorted by score, the tour of the highest score comes first (tsp is minimised:
    // the table still sorts by the number, highest first).
    let by_score = page(&server, &format!("{path}?sort=score"));
    let highest = cases.iter().max_by_key(|k| k.score).unwrap();
    let at = |body: &str, seed: u64| body.find(&format!("/cases/{seed}\"")).unwrap();
    for k in &cases {
        assert!(at(&by_score, highest.seed) <= at(&by_score, k.seed));
    }

    // The call: the prompt, escaped, and what it became.
    let shown = page(&server, &format!("/sessions/1/calls/{}", call.id));
    assert!(
        shown.contains("// &lt;script&gt;alert(&quot;start&quot;)&lt;/script&gt;"),
        "{shown}"
    );
    assert!(!shown.contains("<script>alert"));
    assert_eq!(
        shown.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(shown.contains(&format!("became candidate {}", child.id)));

    // A case of a run and of a candidate: the problem's picture.
    let run = &runs[0];
    let case = page(&server, &format!("/runs/{}/cases/0", run.id));
    assert!(case.contains("<div class=\"vis\"><svg"), "{case}");
    let verdicts = store.case_scores(run.id).unwrap();
    assert!(case.contains(&format!(
        "<dd class=\"verdict\">{}</dd>",
        verdicts[0].0.as_str()
    )));
    let case = page(&server, &format!("{path}/cases/{}", first.seed));
    assert!(case.contains("<div class=\"vis\"><svg"), "{case}");
    // Each picture draws the case's kept output: the bytes behind its link
    // score what the store says the case scored, and drawn with its input
    // they make the very picture on the page.
    let tsp = ale::problem::Registry::builtin();
    let tsp = tsp.get("tsp").unwrap();
    let verdicts = store.case_scores(run.id).unwrap();
    for (page_path, seed, score) in [
        (
            format!("/runs/{}/cases/0", run.id),
            store.run_case(run.id, 0).unwrap().unwrap().seed.unwrap(),
            verdicts[0].1.unwrap(),
        ),
        (
            format!("{path}/cases/{}", first.seed),
            first.seed,
            first.score.unwrap(),
        ),
    ] {
        let shown = page(&server, &page_path);
        assert!(shown.contains("output, as `ale vis` draws them"), "{shown}");
        let (status, output) = get(server.address, &format!("{page_path}/output"));
        assert_eq!(status, 200, "{output}");
        assert!(shown.contains(&format!(
            "<a href=\"{page_path}/output\">the output</a> ({} bytes, plain text)",
            output.len()
        )));
        let input = tsp.generate(seed).unwrap();
        assert_eq!(tsp.score(&input, &output), Ok(score), "{page_path}");
        let drawn = tsp.visualise(&input, &output).unwrap();
        assert!(shown.contains(&drawn), "{page_path}");
    }
    let raw = raw_get(
        server.address,
        &format!("{path}/cases/{}/output", first.seed),
    );
    assert!(
        raw.contains("content-type: text/plain; charset=utf-8")
            && raw.contains("x-content-type-options: nosniff")
            && raw.contains("content-security-policy: default-src 'none'; script-src 'self';"),
        "{raw}"
    );
    let (status, body) = get(server.address, &format!("{path}/cases/999/output"));
    assert_eq!(status, 404, "{body}");
    assert!(
        body.contains("the store has no output of this case"),
        "{body}"
    );
    let (status, body) = get(
        server.address,
        &format!("/sessions/1/candidates/999/cases/{}/output", first.seed),
    );
    assert_eq!(status, 404, "{body}");

    // The same data as JSON.
    let (status, api) = get(server.address, "/api/sessions/1");
    assert_eq!(status, 200);
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(
        api["candidates"].as_array().unwrap().len(),
        candidates.len()
    );
    assert_eq!(api["activity"]["cases"].as_u64(), Some(12));
    // Every choice of the bandits, with every arm's figures.
    assert_eq!(
        api["activity"]["choices"].as_u64(),
        Some(choices.len() as u64)
    );
    let sent = api["bandit_choices"].as_array().unwrap();
    assert_eq!(sent.len(), choices.len());
    let (first, last) = (&sent[0], &sent[sent.len() - 1]);
    assert_eq!(first["number"], 1);
    assert_eq!(first["bandit"], "operator");
    assert_eq!(first["arms"][0]["name"], "improve");
    assert_eq!(first["arms"][0]["uses"], 0);
    assert!(first["arms"][0]["ucb"].is_null(), "untried: {first}");
    let stored = choices.last().unwrap();
    assert_eq!(last["chosen"].as_str(), Some(stored.chosen.as_str()));
    assert_eq!(
        last["arms"][0]["ucb"].as_f64(),
        stored.arms[0].ucb,
        "{last}"
    );
    let (_, api) = get(server.address, &format!("/api{path}"));
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(api["cases"].as_array().unwrap().len(), 6);
    assert_eq!(api["parent"].as_i64(), Some(root.id));
    // The child's steps: its first seeds against its parent, then raced
    // against the best (its parent) to the last seed; the last step's
    // figure is its mean relative score over the cases in its table.
    let steps = api["steps"].as_array().unwrap();
    let first_step = &steps[0];
    assert_eq!(first_step["stage"], "first seeds", "{api}");
    assert_eq!(first_step["against"].as_i64(), Some(root.id));
    assert_eq!(first_step["outcome"], "passed");
    let last = steps.last().unwrap();
    assert_eq!(
        (&last["stage"], &last["outcome"]),
        (&"all seeds".into(), &"evaluated".into())
    );
    assert_eq!(last["seeds"].as_u64(), Some(6));
    let relatives: Vec<f64> = api["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["relative"].as_f64().unwrap())
        .collect();
    let mean = relatives.iter().sum::<f64>() / relatives.len() as f64;
    assert!(
        (last["mine"].as_f64().unwrap() - mean).abs() < 1e-6,
        "{api}"
    );
    let shown = page(&server, &path);
    let table = shown.split("<table class=\"steps\">").nth(1).unwrap();
    assert!(
        table.contains(&format!(
            "<td>first seeds</td><td>{}</td><td><a href=\"/sessions/1/candidates/{}\">candidate {}</a></td>",
            first_step["seeds"], root.id, root.id
        )),
        "{table}"
    );
    assert!(table.contains("<td>evaluated</td>"), "{table}");

    // The same session in a store of an ale from before the bandits'
    // figures (schema 10): its page draws the candidates over time instead.
    let old = dir.path().join("old.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("VACUUM INTO ?1", [old.to_str().unwrap()])
        .unwrap();
    drop(conn);
    let conn = rusqlite::Connection::open(&old).unwrap();
    conn.execute_batch("DROP TABLE bandit_figures; PRAGMA user_version = 10;")
        .unwrap();
    drop(conn);
    let older = serve(&old);
    let shown = page(&older, "/sessions/1");
    assert!(!shown.contains("chart bandit"), "{shown}");
    assert!(shown.contains("<h2>Candidates by operator over time</h2>"));
    assert!(
        shown.contains(">start (1)</text>") && shown.contains(">improve (1)</text>"),
        "{shown}"
    );
    let (status, api) = get(older.address, "/api/sessions/1");
    assert_eq!(status, 200, "{api}");
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(api["bandit_choices"], serde_json::json!([]));
    assert_eq!(api["activity"]["choices"], 0);
    drop(older);

    // Unknown ids: 404 with a message; values that mean nothing: 400.
    for (path, status, said) in [
        ("/sessions/99", 404, "session 99: no such session"),
        (
            "/sessions/1/candidates/999",
            404,
            "candidate 999: session 1 has no such candidate",
        ),
        ("/sessions/1/calls/999", 404, "call 999"),
        ("/runs/999/cases/0", 404, "run 999: no such run"),
        ("/runs/999", 404, "run 999: no such run"),
        ("/runs/1/cases/99", 404, "run 1 has no case 99"),
        ("/tunings/999", 404, "tuning 999"),
        ("/benches/999", 404, "bench 999"),
        ("/nowhere", 404, "no page here"),
        ("/api/sessions/99", 404, "session 99"),
        ("/sessions/abc", 400, "session id `abc` is not a number"),
        ("/runs/1/cases/-1", 400, "case index `-1` is not a number"),
        (
            "/api/sessions/x/events",
            400,
            "session id `x` is not a number",
        ),
    ] {
        let (got, body) = get(server.address, path);
        assert_eq!(got, status, "{path}: {body}");
        assert!(body.contains(said), "{path}: {body}");
    }
    // A name that is not this machine's: refused, whatever it resolves to.
    let mut stream = TcpStream::connect(server.address).unwrap();
    write!(
        stream,
        "GET /api/sessions/1 HTTP/1.1\r\nHost: rebinding.example:8080\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("content-security-policy: default-src 'none'; script-src 'self';"),
        "{answer}"
    );
    assert!(
        answer.contains("not for `rebinding.example:8080`"),
        "{answer}"
    );
    let (got, body) = get(server.address, &format!("{path}?sort=bogus"));
    assert_eq!(got, 400);
    assert!(body.contains("sort `bogus` is not a column"), "{body}");

    // A tuning: its trials with the values tried, a scatter per parameter,
    // the hold-out cases.
    let o = ale(
        dir.path(),
        &[
            "tune",
            "tsp",
            "start.rs",
            "--budget",
            "1m",
            "--evaluations",
            "30",
            "--seeds",
            "0..10",
            "--holdout",
            "10..12",
            "-j",
            "2",
        ],
    );
    assert_ok(&o);
    let tuning = store.tunings(None).unwrap().remove(0);
    let trials = store.trials(tuning.id).unwrap();
    assert!(trials.len() >= 2, "{trials:?}");
    let home = page(&server, "/");
    assert!(
        home.contains(&format!("href=\"/tunings/{}\"", tuning.id)),
        "{home}"
    );
    let shown = page(&server, &format!("/tunings/{}", tuning.id));
    let table = shown
        .split("<table class=\"sortable trials\">")
        .nth(1)
        .unwrap();
    assert_eq!(
        table
            .split("</table>")
            .next()
            .unwrap()
            .matches("<tr>")
            .count(),
        trials.len() + 1
    );
    let best = trials
        .iter()
        .max_by(|a, b| {
            a.mean_relative
                .unwrap()
                .total_cmp(&b.mean_relative.unwrap())
        })
        .unwrap();
    assert!(
        table.contains(&format!(
            "<td>{}</td><td>{}</td><td>complete</td><td>{:.2}</td>",
            best.number,
            best.values.replace('"', "&quot;"),
            best.mean_relative.unwrap()
        )),
        "{table}"
    );
    assert!(
        shown.contains("<h2>PASSES</h2><svg class=\"chart scatter\""),
        "{shown}"
    );
    assert!(shown.matches("<circle class=\"point\"").count() >= trials.len());
    // Each raced trial's race: a line of its p-values, ending where it stopped.
    let races = store.trial_races(tuning.id).unwrap();
    let raced = races
        .iter()
        .filter(|r| r.checks.iter().any(|c| c.p_value.is_some()))
        .count();
    assert!(
        raced >= 1,
        "a trial worse than the first is raced out: {races:?}"
    );
    assert_eq!(
        shown.matches("<path class=\"race\"").count(),
        raced,
        "{races:?}"
    );
    for r in &races {
        let p = r.checks.last().and_then(|c| c.p_value);
        if let (Some(p), Some(against)) = (p, r.against) {
            let seeds = r.checks.last().unwrap().seeds;
            assert!(
                shown.contains(&format!(
                    "<title>trial {}: p {p:.3} after {seeds} seeds</title>",
                    r.number
                )),
                "{shown}"
            );
            assert!(
                shown.contains(&format!("<td>trial {against}</td>")),
                "{shown}"
            );
        }
    }
    assert!(shown.contains("/2 accepted, mean "), "{shown}");

    // Two benches, written by another process, side by side: on eight
    // private cases the newer halves every tour (tsp is minimised).
    let writer = ale::store::Store::open(&db).unwrap();
    let row = |scores: i64| ale::bench::BenchRow {
        problem: "tsp".into(),
        session: 1,
        private_score: 8 * scores,
        rank: Some(12),
        performance: Some(1500 + scores / 1000),
        contestants: Some(100),
        vs_best_start: None,
        candidates: 2,
        cases: 12,
        cost: 0.0,
        elapsed_s: 2.0,
        private_cases: vec![Some(scores); 8],
    };
    let old = writer.begin_bench("tsp").unwrap();
    writer
        .record_bench_result(
            old,
            "tsp",
            1,
            &serde_json::to_string(&row(200_000)).unwrap(),
        )
        .unwrap();
    let new = writer.begin_bench("tsp").unwrap();
    writer
        .record_bench_result(
            new,
            "tsp",
            1,
            &serde_json::to_string(&row(100_000)).unwrap(),
        )
        .unwrap();
    let shown = page(&server, &format!("/benches/{new}?compare={old}"));
    assert!(
        shown.contains(
            "<td>tsp</td><td>1700</td><td>1600</td><td>200.00</td><td>0.008</td><td>better</td>"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("<td>800000</td><td>12</td><td>1600</td>"),
        "{shown}"
    );
    let home = page(&server, "/");
    assert!(
        home.contains("<td>800000</td><td>12</td><td>1600</td>"),
        "the session's rank, from its bench: {home}"
    );
    for (path, status, said) in [
        (
            format!("/benches/{new}?compare=x"),
            400,
            "compare (a bench id) `x` is not a number",
        ),
        (format!("/benches/{new}?compare=999"), 404, "bench 999"),
    ] {
        let (got, body) = get(server.address, &path);
        assert_eq!(got, status, "{path}: {body}");
        assert!(body.contains(said), "{path}: {body}");
    }

    // Live: the events say what the store holds now, then what another
    // process adds to it, within a few seconds.
    let mut events = TcpStream::connect(server.address).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        events,
        "GET /api/sessions/1/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(events);
    let now = next_change(&mut events);
    assert_eq!(now["candidates"].as_u64(), Some(2), "{now}");
    let writer = ale::store::Store::open(&db).unwrap();
    let added = writer
        .add_candidate(
            1,
            Some(child.id),
            "by-hand",
            "a second writer",
            "rs",
            "fn main() {}",
            "x",
            3.0,
        )
        .unwrap()
        .unwrap();
    let started = Instant::now();
    let then = next_change(&mut events);
    assert_eq!(then["candidates"].as_u64(), Some(3), "{then}");
    assert_eq!(then["newest"].as_i64(), Some(added));
    assert!(started.elapsed() < Duration::from_secs(5));
    let session = page(&server, "/sessions/1/live");
    assert_eq!(session.matches("<g class=\"node").count(), 3);
    assert!(session.contains(&format!("#{added} by-hand")), "{session}");

    // Another command writing the store while the server reads it: its run is listed.
    let o = ale(
        dir.path(),
        &["run", "tsp", "start.rs", "--seeds", "0..2", "-j", "2"],
    );
    assert_ok(&o);
    let newest = store.runs("tsp", 1).unwrap().remove(0);
    assert!(newest.id > runs[0].id);
    let home = page(&server, "/");
    assert!(
        home.contains(&format!("href=\"/runs/{}\"", newest.id)),
        "{home}"
    );

    // 200 requests at once: every one answered, each with the whole document.
    let answers: Vec<_> = (0..200)
        .map(|_| {
            let address = server.address;
            std::thread::spawn(move || get(address, "/api/sessions/1"))
        })
        .collect();
    for answer in answers {
        let (status, body) = answer.join().unwrap();
        assert_eq!(status, 200, "{body}");
        let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(doc["candidates"].as_array().unwrap().len(), 3);
    }
}

#[test]
fn the_events_follow_a_search_while_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = solved(dir.path());
    let server = serve(&db);
    // A second search, whose model takes three seconds to answer with a program.
    std::fs::create_dir(dir.path().join("seen2")).unwrap();
    let command = "n=$(ls seen2 | wc -l); cat > seen2/$n.txt; \
                   if [ $n = 0 ]; then sleep 3; cat reply.md; else echo 'No more ideas.'; fi";
    let mut search = Running(common::spawn_ale(dir.path(), &scripted_solve(command)));
    common::wait_for_store(dir.path(), "the second session", |s| {
        s.session(2).is_ok_and(|row| row.is_some())
    });
    let mut events = TcpStream::connect(server.address).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        events,
        "GET /api/sessions/2/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(events);
    let first = next_change(&mut events);
    assert!(first["candidates"].as_u64() < Some(2), "{first}");
    let mut seen = vec![first];
    let deadline = Instant::now() + Duration::from_secs(60);
    while seen.last().unwrap()["candidates"].as_u64() < Some(2) {
        assert!(
            Instant::now() < deadline,
            "no event with the model's candidate: {seen:?}"
        );
        seen.push(next_change(&mut events));
    }
    assert!(search.0.wait().unwrap().success());
    let store = ale::store::Store::open_read_only(&db).unwrap();
    let made = store.candidates(2).unwrap();
    assert_eq!(made.len(), 2, "{made:?}");
    assert_eq!(
        seen.last().unwrap()["newest"].as_i64(),
        Some(made[1].id),
        "{seen:?}"
    );
    // Each event says something new.
    assert!(seen.windows(2).all(|w| w[0] != w[1]), "{seen:?}");
    let shown = page(&server, "/sessions/2");
    assert_eq!(shown.matches("<g class=\"node").count(), 2);
}

/// A solution that writes 3 MiB of noise (it deflates to about 2.3 MiB,
/// over the 1 MiB the store keeps of one output) and a line of stderr.
const NOISY: &str = r#"use std::io::Write;
fn main() {
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/";
    let mut x: u64 = 88172645463325252;
    let mut out = Vec::with_capacity(3 << 20);
    for _ in 0..(3 << 20) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push(digits[(x % 64) as usize]);
    }
    std::io::stdout().write_all(&out).unwrap();
    eprintln!("noise <b>written</b>");
}
"#;

#[test]
fn a_run_case_keeps_its_stderr_and_of_an_output_too_big_only_its_size() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("noisy.rs"), NOISY).unwrap();
    let o = ale(dir.path(), &["run", "tsp", "noisy.rs", "--seeds", "0..1"]);
    assert!(o.status.code().is_some(), "{o:?}");
    let db = dir.path().join(".ale/ale.db");
    let store = ale::store::Store::open_read_only(&db).unwrap();
    let run = store.runs("tsp", 1).unwrap().remove(0);
    assert_eq!(
        store.run_output(run.id, 0).unwrap(),
        Some(ale::store::StoredOutput {
            size: 3 << 20,
            bytes: None
        })
    );
    let server = serve(&db);
    let path = format!("/runs/{}/cases/0", run.id);
    let shown = page(&server, &path);
    assert!(
        shown.contains(
            "<h2>End of stderr</h2><pre class=\"stderr\">noise &lt;b&gt;written&lt;/b&gt;"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("The output (3145728 bytes) was more than the store keeps."),
        "{shown}"
    );
    assert!(
        shown.contains("the input of seed 0 alone: the output (3145728 bytes) was more than"),
        "{shown}"
    );
    let (status, body) = get(server.address, &format!("{path}/output"));
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("was more than the store keeps"), "{body}");
}

/// The data of the next `change` event.
fn next_change(events: &mut impl BufRead) -> serde_json::Value {
    let mut named = false;
    // Keep-alive comments come every few seconds: the read timeout alone
    // would never end a wait for an event that does not come.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(Instant::now() < deadline, "no event for a minute");
        let mut line = String::new();
        assert!(events.read_line(&mut line).unwrap() > 0, "the events ended");
        let line = line.trim_end();
        if line == "event: change" {
            named = true;
        } else if let (true, Some(data)) = (named, line.strip_prefix("data: ")) {
            return serde_json::from_str(data).unwrap();
        }
    }
}

/// `ale serve` on `store`, expected to refuse it at start.
fn refused(store: &Path) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_ale"))
        .args(["serve", "--port", "0", "--store"])
        .arg(store)
        .env_remove("ALE_PROBLEMS")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(2), "{said}");
    assert!(o.stdout.is_empty(), "it listened");
    assert!(said.contains(&store.display().to_string()), "{said}");
    said
}

#[test]
fn a_store_that_is_missing_or_not_ale_s_is_refused_at_start_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere/ale.db");
    assert!(refused(&missing).contains("does not exist"));
    assert!(!missing.exists() && !dir.path().join("nowhere").exists());

    let other = dir.path().join("notes.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    drop(conn);
    assert!(refused(&other).contains("is not an ale store"));

    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, "not a database, only words ".repeat(100)).unwrap();
    assert!(refused(&garbage).contains("not an SQLite database"));
}

/// Headless Chromium driven over the DevTools protocol on a pipe (its
/// descriptors 3 and 4, messages ended by a NUL byte).
struct Browser {
    child: Child,
    to: std::fs::File,
    from: std::sync::mpsc::Receiver<serde_json::Value>,
    next: u64,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two pipes' ends, moved above the descriptors a child is given.
fn pipe() -> (i32, i32) {
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    let high = |fd: i32| {
        let moved = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10) };
        assert!(moved >= 10);
        unsafe { libc::close(fd) };
        moved
    };
    (high(fds[0]), high(fds[1]))
}

impl Browser {
    /// Chromium on a blank page, or None (with a word why) when it is not
    /// installed and `ALE_REQUIRE_BROWSER=1` does not ask for it.
    fn start() -> Option<Browser> {
        use std::os::unix::io::FromRawFd;
        use std::os::unix::process::CommandExt;
        let found = ["chromium", "chromium-browser"].into_iter().find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
        let Some(program) = found else {
            assert!(
                std::env::var("ALE_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "ALE_REQUIRE_BROWSER=1 and there is no chromium (apt-get install chromium)"
            );
            eprintln!("skipped: no chromium here (apt-get install chromium; ALE_REQUIRE_BROWSER=1 makes this a failure)");
            return None;
        };
        let profile = tempfile::tempdir().unwrap();
        let (commands_in, commands_out) = pipe();
        let (replies_in, replies_out) = pipe();
        let mut command = Command::new(program);
        command
            .args([
                "--headless",
                "--remote-debugging-pipe",
                "--no-first-run",
                "--disable-gpu",
                "--no-sandbox",
                "--window-size=1280,1000",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        unsafe {
            command.pre_exec(move || {
                if libc::dup2(commands_in, 3) < 0 || libc::dup2(replies_out, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("chromium starts");
        unsafe {
            libc::close(commands_in);
            libc::close(replies_out);
        }
        let to = unsafe { std::fs::File::from_raw_fd(commands_out) };
        let mut replies = BufReader::new(unsafe { std::fs::File::from_raw_fd(replies_in) });
        let (send, from) = std::sync::mpsc::channel();
        std::thread::spawn(move || loop {
            let mut message = Vec::new();
            match replies.read_until(0, &mut message) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    message.pop();
                    if let Ok(v) = serde_json::from_slice(&message) {
                        if send.send(v).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        let mut browser = Browser {
            child,
            to,
            from,
            next: 0,
            session: String::new(),
            _profile: profile,
        };
        let target = browser.call(
            "Target.createTarget",
            serde_json::json!({"url": "about:blank"}),
        );
        let attached = browser.call(
            "Target.attachToTarget",
            serde_json::json!({"targetId": target["targetId"], "flatten": true}),
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        Some(browser)
    }

    /// Sends a command (to the page once attached) and waits for its result.
    fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next += 1;
        let mut message = serde_json::json!({"id": self.next, "method": method, "params": params});
        if !self.session.is_empty() {
            message["sessionId"] = self.session.clone().into();
        }
        let mut bytes = message.to_string().into_bytes();
        bytes.push(0);
        self.to.write_all(&bytes).unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let reply = self
                .from
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("chromium never answered {method}"));
            if reply["id"].as_u64() == Some(self.next) {
                assert!(reply.get("error").is_none(), "{method}: {reply}");
                return reply["result"].clone();
            }
        }
    }

    /// The value of a JavaScript expression in the page.
    fn eval(&mut self, expression: &str) -> serde_json::Value {
        let r = self.call(
            "Runtime.evaluate",
            serde_json::json!({"expression": expression, "returnByValue": true}),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expression}: {r}");
        r["result"]["value"].clone()
    }

    /// Waits up to `seconds` until `expression` is true in the page.
    fn wait_for(&mut self, expression: &str, seconds: u64) {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        while self.eval(expression) != serde_json::Value::Bool(true) {
            assert!(Instant::now() < deadline, "never true: {expression}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Opens `url` and waits until it has loaded and its script has run.
    fn open(&mut self, url: &str) {
        self.call("Page.navigate", serde_json::json!({"url": url}));
        self.wait_for(
            &format!("location.href === {url:?} && document.readyState === 'complete'"),
            30,
        );
    }

    /// The mouse: `kind` (`mousePressed`, `mouseMoved`, `mouseReleased`) at
    /// (`x`, `y`) in the viewport, the left button held from press to release.
    fn mouse(&mut self, kind: &str, x: f64, y: f64) {
        let held = kind != "mouseReleased";
        self.call(
            "Input.dispatchMouseEvent",
            serde_json::json!({"type": kind, "x": x, "y": y, "button": "left",
                               "buttons": if held { 1 } else { 0 }, "clickCount": 1}),
        );
    }

    /// The wheel turned by `delta_y` pixels (negative: away from the reader)
    /// with the pointer at (`x`, `y`).
    fn wheel(&mut self, x: f64, y: f64, delta_y: f64) {
        self.call(
            "Input.dispatchMouseEvent",
            serde_json::json!({"type": "mouseWheel", "x": x, "y": y, "deltaX": 0, "deltaY": delta_y}),
        );
    }

    /// The candidate tree's viewBox: x, y, width, height.
    fn tree_view(&mut self) -> [f64; 4] {
        let text = self.eval("document.querySelector('svg.tree').getAttribute('viewBox')");
        let v: Vec<f64> = text
            .as_str()
            .unwrap()
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        [v[0], v[1], v[2], v[3]]
    }

    /// The tree's box on the screen (left, top, width, height) and the
    /// centre of node `id` in it, after scrolling the tree into view.
    fn tree_and_node(&mut self, id: i64) -> ([f64; 4], (f64, f64)) {
        let v = self.eval(&format!(
            "(() => {{ const t = document.querySelector('svg.tree'); t.scrollIntoView();
               const r = t.getBoundingClientRect();
               const n = t.querySelector('g.node[data-id=\"{id}\"] circle').getBoundingClientRect();
               return [r.left, r.top, r.width, r.height, n.left + n.width / 2, n.top + n.height / 2]; }})()"
        ));
        let n = |i: usize| v[i].as_f64().unwrap();
        ([n(0), n(1), n(2), n(3)], (n(4), n(5)))
    }

    /// A PNG of the whole page, kept under target/serve-screenshots/.
    fn screenshot(&mut self, name: &str) {
        let shot = self.call(
            "Page.captureScreenshot",
            serde_json::json!({"format": "png", "captureBeyondViewport": true}),
        );
        let png = base64(shot["data"].as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .unwrap()
            .join("serve-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

/// Standard base64 (the screenshots come that way).
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    let mut bytes = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | (u32::from(d) << (18 - 6 * i)));
        bytes.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    bytes
}

#[test]
fn base64_decodes_what_it_should() {
    assert_eq!(base64("aGVsbG8="), b"hello");
    assert_eq!(base64("aGk="), b"hi");
    assert_eq!(base64("YWJj"), b"abc");
}

#[test]
fn in_a_browser_the_pages_draw_and_the_session_page_follows_the_store() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = solved(dir.path());
    let store = ale::store::Store::open_read_only(&db).unwrap();
    let candidates = store.candidates(1).unwrap();
    let child = candidates[1].id;
    let server = serve(&db);
    let url = |path: &str| format!("http://{}{path}", server.address);

    browser.open(&url("/"));
    assert_eq!(
        browser.eval("document.querySelectorAll('a[href=\"/sessions/1\"]').length"),
        1
    );
    browser.screenshot("home");

    // The session: the script counted the tree's nodes once the page loaded.
    browser.open(&url("/sessions/1"));
    browser.wait_for(
        "document.getElementById('live').dataset.nodes !== undefined",
        10,
    );
    assert_eq!(
        browser.eval("document.getElementById('live').dataset.nodes"),
        candidates.len().to_string()
    );
    assert_eq!(
        browser.eval("document.querySelectorAll('svg.chart polyline').length"),
        1
    );
    // The two bandits' charts, a line of values per arm (one arm each here).
    assert_eq!(
        browser.eval("document.querySelectorAll('svg.chart.bandit path.ucb').length"),
        2
    );
    browser.screenshot("session");

    // The tree: the wheel zooms it about the pointer, a drag moves it (and
    // does not follow the link of the node it began on), the buttons zoom
    // about the middle and go back, and a click on a node still opens it.
    let home = browser.tree_view();
    let (frame, (x, y)) = browser.tree_and_node(child);
    // The point of the tree under the screen's (x, y) in view `v`.
    let under = |v: [f64; 4]| {
        (
            v[0] + (x - frame[0]) * v[2] / frame[2],
            v[1] + (y - frame[1]) * v[3] / frame[3],
        )
    };
    browser.wheel(x, y, -300.0);
    let zoomed = browser.tree_view();
    assert!(zoomed[2] < home[2] * 0.9, "{home:?} then {zoomed:?}");
    assert!((zoomed[2] / zoomed[3] - home[2] / home[3]).abs() < 0.01);
    let (before, after) = (under(home), under(zoomed));
    assert!(
        (before.0 - after.0).abs() < 0.3 && (before.1 - after.1).abs() < 0.3,
        "the point under the pointer moved: {before:?} then {after:?}"
    );
    let session_url = url("/sessions/1");
    browser.mouse("mousePressed", x, y);
    browser.mouse("mouseMoved", x + 30.0, y + 10.0);
    browser.mouse("mouseMoved", x + 60.0, y + 20.0);
    browser.mouse("mouseReleased", x + 60.0, y + 20.0);
    let moved = browser.tree_view();
    let per_pixel = zoomed[2] / frame[2];
    assert!(
        (moved[0] - (zoomed[0] - 60.0 * per_pixel)).abs() < 0.3
            && (moved[1] - (zoomed[1] - 20.0 * per_pixel)).abs() < 0.3
            && moved[2] == zoomed[2],
        "{zoomed:?} dragged by (60, 20) px: {moved:?}"
    );
    assert_eq!(
        browser.eval("location.href").as_str(),
        Some(session_url.as_str())
    );
    browser.screenshot("session-tree-moved");
    browser.eval("document.querySelector('.tree-tools button').click(), true");
    let closer = browser.tree_view();
    assert!(
        (moved[2] / closer[2] - 1.25).abs() < 0.01,
        "{moved:?} {closer:?}"
    );
    browser.eval("document.querySelectorAll('.tree-tools button')[2].click(), true");
    assert_eq!(browser.tree_view(), home);
    let (_, (x, y)) = browser.tree_and_node(child);
    browser.mouse("mousePressed", x, y);
    browser.mouse("mouseReleased", x, y);
    browser.wait_for(
        &format!("location.pathname === '/sessions/1/candidates/{child}'"),
        10,
    );

    // A candidate: its diff, and its case table sorted by a click.
    let candidate = url(&format!("/sessions/1/candidates/{child}"));
    browser.open(&candidate);
    assert!(
        browser
            .eval("document.querySelectorAll('pre.diff .add').length")
            .as_u64()
            >= Some(1)
    );
    let cases = store.candidate_cases(child).unwrap();
    assert_eq!(
        browser.eval("document.querySelectorAll('table.cases tbody tr').length"),
        cases.len()
    );
    browser.eval("document.querySelectorAll('table.cases th')[2].click(), true");
    let lowest = cases.iter().filter_map(|k| k.score).min().unwrap();
    assert_eq!(
        browser.eval("document.querySelector('table.cases tbody tr').cells[2].textContent"),
        lowest.to_string()
    );
    browser.screenshot("candidate");

    // A case of the candidate and a case of the submission's run: the picture.
    browser.open(&url(&format!(
        "/sessions/1/candidates/{child}/cases/{}",
        cases[0].seed
    )));
    assert_eq!(
        browser.eval("document.querySelectorAll('.vis svg').length"),
        1
    );
    browser.screenshot("candidate-case");
    let run = store.runs("tsp", 1).unwrap()[0].id;
    browser.open(&url(&format!("/runs/{run}/cases/0")));
    assert_eq!(
        browser.eval("document.querySelectorAll('.vis svg').length"),
        1
    );
    browser.screenshot("run-case");

    // A model call: the prompt's script is text on the page, not a script.
    let call = store.llm_call_log(1).unwrap()[0].id;
    browser.open(&url(&format!("/sessions/1/calls/{call}")));
    assert_eq!(
        browser.eval("document.querySelectorAll('pre.prompt')[1].textContent.includes('<script>alert(\"start\")</script>')"),
        true
    );
    assert_eq!(browser.eval("document.scripts.length"), 1);
    browser.screenshot("call");

    // Live: a candidate another process adds appears without a reload.
    browser.open(&url("/sessions/1"));
    browser.wait_for("document.getElementById('live').dataset.nodes === '2'", 10);
    browser.eval("window.notReloaded = true");
    let (_, (x, y)) = browser.tree_and_node(child);
    browser.wheel(x, y, -200.0);
    let chosen = browser.tree_view();
    // The page's events are connected before the store changes.
    std::thread::sleep(Duration::from_millis(500));
    let writer = ale::store::Store::open(&db).unwrap();
    let added = writer
        .add_candidate(
            1,
            Some(child),
            "by-hand",
            "a second writer",
            "rs",
            "fn main() {}",
            "x",
            3.0,
        )
        .unwrap()
        .unwrap();
    browser.wait_for("document.getElementById('live').dataset.nodes === '3'", 10);
    assert_eq!(browser.eval("window.notReloaded === true"), true);
    // The redrawn page still has the bandits' charts; its tree keeps the
    // view the reader chose, and still zooms.
    assert_eq!(
        browser.eval("document.querySelectorAll('#live svg.chart.bandit').length"),
        2
    );
    assert_eq!(browser.tree_view(), chosen);
    let (_, (x, y)) = browser.tree_and_node(child);
    browser.wheel(x, y, 200.0);
    assert!(browser.tree_view()[2] > chosen[2], "{chosen:?}");
    assert_eq!(
        browser.eval(&format!(
            "document.querySelectorAll('svg.tree g.node[data-id=\"{added}\"]').length"
        )),
        1
    );
    browser.screenshot("session-live");
}
