//! Which models to call and how: from flags (`--llm-url URL --model NAME`),
//! from the environment (`ALE_LLM_URL`, `ALE_LLM_MODEL`, `ALE_LLM_API_KEY`,
//! falling back to `OPENAI_API_KEY` / `ANTHROPIC_API_KEY`), or from `[[llm]]`
//! tables in `ale.toml` for several models with their prices. Keys are held in
//! a [`Secret`], which never prints.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// An API key. Its `Debug` and `Display` show only that it is set.
#[derive(Clone, PartialEq)]
pub struct Secret(String);

impl Secret {
    pub fn new(key: impl Into<String>) -> Secret {
        Secret(key.into())
    }
    /// The key itself, for the request header only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// The two wire formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `POST <url>/chat/completions`: OpenAI, vLLM, llama.cpp's server,
    /// Ollama, LM Studio, OpenRouter and others.
    OpenAi,
    /// `POST <url>/v1/messages`.
    Anthropic,
}

/// One model behind one endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The model's name as the endpoint knows it.
    pub model: String,
    /// The base URL: `http://localhost:8000/v1` (OpenAI-compatible; the client
    /// posts to `<url>/chat/completions`) or `https://api.anthropic.com`
    /// (Anthropic; `<url>/v1/messages`).
    pub url: String,
    pub protocol: Protocol,
    pub key: Option<Secret>,
    /// Where the key came from, named in an authentication error.
    pub key_setting: String,
    /// Dollars per million input and output tokens.
    pub price_in: f64,
    pub price_out: f64,
    pub timeout: Duration,
}

impl Endpoint {
    pub fn cost(&self, tokens_in: u64, tokens_out: u64) -> f64 {
        (tokens_in as f64 * self.price_in + tokens_out as f64 * self.price_out) / 1e6
    }
}

/// Everything the agent needs to talk to models.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LlmConfig {
    pub endpoints: Vec<Endpoint>,
    /// `--llm-cmd`: a shell command that reads a prompt on stdin and writes a reply.
    pub command: Option<String>,
    /// Requests in flight at once.
    pub max_in_flight: usize,
    /// Stop new calls once this many dollars are spent.
    pub max_cost: Option<f64>,
    /// `[prompts]` of ale.toml: template name to file (relative to ale.toml).
    pub prompts: BTreeMap<String, PathBuf>,
}

impl LlmConfig {
    pub fn is_configured(&self) -> bool {
        !self.endpoints.is_empty() || self.command.is_some()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    /// Requests in flight at once (a top-level key, before the tables).
    llm_in_flight: Option<usize>,
    #[serde(default)]
    llm: Vec<FileModel>,
    /// Template name to a file that replaces the built-in text.
    #[serde(default)]
    prompts: BTreeMap<String, PathBuf>,
    /// `[workers]`: where cases are judged, read by the command line.
    #[allow(dead_code)]
    workers: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileModel {
    model: String,
    url: String,
    protocol: Option<String>,
    /// The environment variable that holds the key (keys stay out of files).
    api_key_env: Option<String>,
    #[serde(default)]
    price_in: f64,
    #[serde(default)]
    price_out: f64,
    timeout_s: Option<f64>,
}

/// `openai` or `anthropic`; when not said, an `anthropic.com` URL is Anthropic.
fn protocol_of(name: Option<&str>, url: &str) -> std::result::Result<Protocol, String> {
    match name.map(str::to_ascii_lowercase).as_deref() {
        Some("openai") => Ok(Protocol::OpenAi),
        Some("anthropic") => Ok(Protocol::Anthropic),
        Some(other) => Err(format!(
            "unknown protocol `{other}`; use \"openai\" (any OpenAI-compatible server) or \"anthropic\""
        )),
        None if url.contains("anthropic.com") => Ok(Protocol::Anthropic),
        None => Ok(Protocol::OpenAi),
    }
}

/// The key for a protocol from the environment, and the setting it came from.
fn key_from_env(
    env: &dyn Fn(&str) -> Option<String>,
    own: Option<&str>,
    protocol: Protocol,
) -> (Option<Secret>, String) {
    let fallback = match protocol {
        Protocol::OpenAi => "OPENAI_API_KEY",
        Protocol::Anthropic => "ANTHROPIC_API_KEY",
    };
    let mut names = Vec::new();
    if let Some(own) = own {
        names.push(own);
    }
    names.push("ALE_LLM_API_KEY");
    names.push(fallback);
    for name in &names {
        if let Some(key) = env(name).filter(|k| !k.trim().is_empty()) {
            return (Some(Secret::new(key.trim())), (*name).to_string());
        }
    }
    (None, names.join(" or "))
}

/// Flags given on the command line (each may also come from the environment).
#[derive(Debug, Clone, Default)]
pub struct LlmFlags {
    pub url: Option<String>,
    pub model: Option<String>,
    pub protocol: Option<String>,
    pub command: Option<String>,
    pub max_cost: Option<f64>,
    pub timeout: Option<Duration>,
    pub max_in_flight: Option<usize>,
}

impl LlmConfig {
    /// The configuration from flags, then the environment, then `ale_toml`
    /// (when it exists). A flag or variable model replaces the file's list.
    pub fn resolve(
        flags: &LlmFlags,
        env: &dyn Fn(&str) -> Option<String>,
        ale_toml: &Path,
    ) -> Result<LlmConfig> {
        let timeout = flags.timeout.unwrap_or(Duration::from_secs(300));
        let url = flags.url.clone().or_else(|| env("ALE_LLM_URL"));
        let model = flags.model.clone().or_else(|| env("ALE_LLM_MODEL"));
        let mut endpoints = Vec::new();
        let file = if ale_toml.is_file() {
            Some(read_file(ale_toml)?)
        } else {
            None
        };
        let in_flight = flags
            .max_in_flight
            .or(file.as_ref().and_then(|f| f.llm_in_flight))
            .unwrap_or(2);
        if in_flight == 0 {
            return Err(Error::Usage(
                "requests in flight must be at least 1 (--llm-in-flight, llm_in_flight in ale.toml)"
                    .into(),
            ));
        }
        let prompts = file.as_ref().map_or_else(BTreeMap::new, |f| {
            let base = ale_toml.parent().unwrap_or(Path::new("."));
            f.prompts
                .iter()
                .map(|(k, v)| (k.clone(), base.join(v)))
                .collect()
        });
        match (url, model) {
            (Some(url), Some(model)) => {
                let protocol = protocol_of(flags.protocol.as_deref(), &url).map_err(Error::Usage)?;
                let (key, key_setting) = key_from_env(env, None, protocol);
                endpoints.push(Endpoint {
                    model,
                    url: url.trim_end_matches('/').to_string(),
                    protocol,
                    key,
                    key_setting,
                    price_in: 0.0,
                    price_out: 0.0,
                    timeout,
                });
            }
            (Some(_), None) => {
                return Err(Error::Usage(
                    "a model endpoint without a model: give --model NAME (or ALE_LLM_MODEL)".into(),
                ))
            }
            (None, Some(_)) => {
                return Err(Error::Usage(
                    "a model without an endpoint: give --llm-url URL (or ALE_LLM_URL), e.g. http://localhost:8000/v1".into(),
                ))
            }
            (None, None) => {
                if let Some(file) = file {
                    endpoints = from_file(file, ale_toml, env, timeout)?;
                }
            }
        }
        Ok(LlmConfig {
            endpoints,
            command: flags.command.clone(),
            max_in_flight: in_flight,
            max_cost: flags.max_cost,
            prompts,
        })
    }
}

fn read_file(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    toml::from_str(&text).map_err(|e| Error::BadInput {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn from_file(
    file: FileConfig,
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
    timeout: Duration,
) -> Result<Vec<Endpoint>> {
    let mut endpoints = Vec::new();
    for (k, m) in file.llm.into_iter().enumerate() {
        let bad = |message: String| Error::BadInput {
            path: path.to_path_buf(),
            message: format!("[[llm]] number {} ({}): {message}", k + 1, m.model),
        };
        let protocol = protocol_of(m.protocol.as_deref(), &m.url).map_err(bad)?;
        if m.price_in < 0.0 || m.price_out < 0.0 {
            return Err(bad(
                "prices are dollars per million tokens, not negative".into()
            ));
        }
        let (key, key_setting) = key_from_env(env, m.api_key_env.as_deref(), protocol);
        endpoints.push(Endpoint {
            model: m.model.clone(),
            url: m.url.trim_end_matches('/').to_string(),
            protocol,
            key,
            key_setting,
            price_in: m.price_in,
            price_out: m.price_out,
            timeout: m.timeout_s.map_or(timeout, Duration::from_secs_f64),
        });
    }
    Ok(endpoints)
}

#[cfg(test)]
mod tests {
    use super::{LlmConfig, LlmFlags, Secret};
    use crate::llm::Protocol;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn keys_never_print() {
        let s = Secret::new("sk-very-secret");
        assert_eq!(format!("{s} {s:?}"), "*** Secret(***)");
    }

    #[test]
    fn flags_then_environment_then_file() {
        let dir = tempfile::tempdir().unwrap();
        let toml = dir.path().join("ale.toml");
        std::fs::write(
            &toml,
            "[[llm]]\nmodel = \"small\"\nurl = \"http://127.0.0.1:9/v1/\"\nprice_in = 0.5\nprice_out = 1.5\napi_key_env = \"MY_KEY\"\n\n[[llm]]\nmodel = \"claude\"\nurl = \"https://api.anthropic.com\"\n",
        )
        .unwrap();
        let e = env(&[("MY_KEY", "k1"), ("ANTHROPIC_API_KEY", "k2")]);
        let c = LlmConfig::resolve(&LlmFlags::default(), &e, &toml).unwrap();
        assert_eq!(c.endpoints.len(), 2);
        assert_eq!(c.endpoints[0].url, "http://127.0.0.1:9/v1");
        assert_eq!(c.endpoints[0].protocol, Protocol::OpenAi);
        assert_eq!(c.endpoints[0].key_setting, "MY_KEY");
        assert_eq!(c.endpoints[1].protocol, Protocol::Anthropic);
        assert_eq!(c.endpoints[1].key_setting, "ANTHROPIC_API_KEY");
        // 2000 tokens in and 1000 out at $0.5 / $1.5 per million.
        assert!((c.endpoints[0].cost(2000, 1000) - 0.0025).abs() < 1e-12);
        // The environment's model replaces the file's list; OPENAI_API_KEY is the fallback.
        let e = env(&[
            ("ALE_LLM_URL", "http://127.0.0.1:8/v1"),
            ("ALE_LLM_MODEL", "m"),
            ("OPENAI_API_KEY", "k3"),
        ]);
        let c = LlmConfig::resolve(&LlmFlags::default(), &e, &toml).unwrap();
        assert_eq!(c.endpoints.len(), 1);
        assert_eq!(c.endpoints[0].model, "m");
        assert_eq!(c.endpoints[0].key_setting, "OPENAI_API_KEY");
        assert!(!format!("{c:?}").contains("k3"));
        // A flag beats the environment.
        let flags = LlmFlags {
            model: Some("flagged".into()),
            ..LlmFlags::default()
        };
        let c = LlmConfig::resolve(&flags, &e, &toml).unwrap();
        assert_eq!(c.endpoints[0].model, "flagged");
    }

    #[test]
    fn bad_settings_say_what_to_fix() {
        let dir = tempfile::tempdir().unwrap();
        let toml = dir.path().join("ale.toml");
        std::fs::write(
            &toml,
            "[[llm]]\nmodel = \"x\"\nurl = \"http://h\"\nprotocol = \"grpc\"\n",
        )
        .unwrap();
        let err = LlmConfig::resolve(&LlmFlags::default(), &env(&[]), &toml)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ale.toml") && err.contains("[[llm]] number 1") && err.contains("grpc"),
            "{err}"
        );
        let flags = LlmFlags {
            url: Some("http://h/v1".into()),
            ..LlmFlags::default()
        };
        let err = LlmConfig::resolve(&flags, &env(&[]), &toml)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--model"), "{err}");
    }

    #[test]
    fn requests_in_flight_from_the_flag_then_the_file_then_two() {
        let dir = tempfile::tempdir().unwrap();
        let toml = dir.path().join("ale.toml");
        let none = LlmConfig::resolve(&LlmFlags::default(), &env(&[]), &toml).unwrap();
        assert_eq!(none.max_in_flight, 2);
        std::fs::write(
            &toml,
            "llm_in_flight = 5
",
        )
        .unwrap();
        let file = LlmConfig::resolve(&LlmFlags::default(), &env(&[]), &toml).unwrap();
        assert_eq!(file.max_in_flight, 5);
        let flags = LlmFlags {
            max_in_flight: Some(1),
            ..LlmFlags::default()
        };
        assert_eq!(
            LlmConfig::resolve(&flags, &env(&[]), &toml)
                .unwrap()
                .max_in_flight,
            1
        );
        std::fs::write(
            &toml,
            "llm_in_flight = 0
",
        )
        .unwrap();
        let err = LlmConfig::resolve(&LlmFlags::default(), &env(&[]), &toml)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("llm_in_flight") && err.contains("at least 1"),
            "{err}"
        );
    }
}
