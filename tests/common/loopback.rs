//! A scripted HTTP server on loopback for the model tests: it answers each
//! request with the next scripted response (status, headers, body, after an
//! optional delay), one connection per request, and keeps every request it got.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Scripted {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Scripted {
    pub fn json(status: u16, body: serde_json::Value) -> Scripted {
        Scripted {
            status,
            headers: Vec::new(),
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }
    pub fn raw(status: u16, body: &str) -> Scripted {
        Scripted {
            status,
            headers: Vec::new(),
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }
    pub fn header(mut self, name: &str, value: &str) -> Scripted {
        self.headers.push((name.into(), value.into()));
        self
    }
    pub fn after(mut self, delay: Duration) -> Scripted {
        self.delay = delay;
        self
    }
    /// An OpenAI-style chat completion carrying `text`.
    pub fn openai(text: &str, tokens_in: u64, tokens_out: u64) -> Scripted {
        Scripted::json(
            200,
            serde_json::json!({
                "id": "x", "object": "chat.completion",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": tokens_in, "completion_tokens": tokens_out},
            }),
        )
    }
    /// An Anthropic-style message carrying `text`.
    pub fn anthropic(text: &str, tokens_in: u64, tokens_out: u64) -> Scripted {
        Scripted::json(
            200,
            serde_json::json!({
                "id": "m", "type": "message", "role": "assistant",
                "content": [{"type": "text", "text": text}],
                "usage": {"input_tokens": tokens_in, "output_tokens": tokens_out},
            }),
        )
    }
}

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: serde_json::Value,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub struct Loopback {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    /// The most requests open at once.
    pub peak: Arc<AtomicUsize>,
}

impl Loopback {
    /// Serves `script` in order; past its end, every request gets a 500.
    pub fn start(script: Vec<Scripted>) -> Loopback {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let peak = Arc::new(AtomicUsize::new(0));
        let open = Arc::new(AtomicUsize::new(0));
        let script = Arc::new(Mutex::new(std::collections::VecDeque::from(script)));
        let (s, p) = (seen.clone(), peak.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (s, p, o, script) = (s.clone(), p.clone(), open.clone(), script.clone());
                std::thread::spawn(move || serve(stream, &s, &p, &o, &script));
            }
        });
        Loopback { url, seen, peak }
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(
    stream: TcpStream,
    seen: &Mutex<Vec<Seen>>,
    peak: &AtomicUsize,
    open: &AtomicUsize,
    script: &Mutex<std::collections::VecDeque<Scripted>>,
) {
    let now = open.fetch_add(1, Ordering::SeqCst) + 1;
    peak.fetch_max(now, Ordering::SeqCst);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        open.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.trim_end().split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
            headers.push((k.to_string(), v.trim().to_string()));
        }
    }
    let mut body = vec![0u8; length];
    let _ = reader.read_exact(&mut body);
    let body = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    // Take the response first, so that a slow one does not hold up the next.
    let response = script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or_else(|| Scripted::raw(500, "the script is over"));
    seen.lock().unwrap().push(Seen {
        path,
        headers,
        body,
    });
    std::thread::sleep(response.delay);
    // No longer counted as open once the answer is on its way: the client may
    // read it and start the next request before this thread goes on.
    open.fetch_sub(1, Ordering::SeqCst);
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        response.status,
        response.body.len()
    );
    for (k, v) in &response.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&response.body);
    let mut stream = stream;
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.flush();
}
