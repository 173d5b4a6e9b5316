//! Language models: the clients of the two protocols (OpenAI-compatible chat
//! completions and Anthropic messages), the command drafter, replay of a
//! recorded session, retries and accounting, and the text work around them
//! (code taken from a reply, SEARCH/REPLACE edits applied). Nothing here knows
//! about the search; the agent's operators call [`Llm`].

mod client;
mod config;
mod edit;
mod extract;
mod hub;
mod prompts;

pub use client::RetryPolicy;
pub use config::LlmFlags;
pub use config::{Endpoint, LlmConfig, Protocol, Secret};
pub use edit::{apply_edits, parse_edits, Edit, EditError};
pub use extract::last_code_block;
pub use hub::{Backend, Call, Llm, Ticket};
pub use prompts::Templates;

/// What is sent: a system text and the user's text in parts, some of which
/// may be dropped (oldest feedback first) when the model says it is too long.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub system: String,
    pub parts: Vec<String>,
    /// Indices into `parts` that may go, in the order they go.
    pub droppable: Vec<usize>,
    pub max_tokens: u32,
}

impl Prompt {
    pub fn new(system: impl Into<String>, user: impl Into<String>) -> Prompt {
        Prompt {
            system: system.into(),
            parts: vec![user.into()],
            droppable: Vec::new(),
            max_tokens: 8192,
        }
    }

    /// The user's text: the parts that are left, one after the other.
    pub fn user(&self) -> String {
        self.parts.concat()
    }

    /// Drops the next droppable part; false when nothing is left to drop.
    pub fn shorten(&mut self) -> bool {
        while !self.droppable.is_empty() {
            let i = self.droppable.remove(0);
            if let Some(part) = self.parts.get_mut(i) {
                if !part.is_empty() {
                    part.clear();
                    return true;
                }
            }
        }
        false
    }
}

/// A model's answer with what it cost in tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub text: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
}

/// Why a call gave no reply. `fatal()` ones stop the session: retrying or
/// going on cannot help until a setting is fixed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    #[error("{model}: the endpoint refused the credentials (HTTP {status}); set {setting}")]
    Auth {
        model: String,
        status: u16,
        setting: String,
    },
    #[error("{model}: the endpoint does not know this model (HTTP {status}: {message}); fix --model, ALE_LLM_MODEL or `model` in ale.toml")]
    UnknownModel {
        model: String,
        status: u16,
        message: String,
    },
    #[error(
        "{model}: the prompt is over the model's context limit and nothing is left to shorten"
    )]
    ContextTooLong { model: String },
    #[error("{model}: no reply within {seconds} s")]
    Timeout { model: String, seconds: f64 },
    #[error("{model}: HTTP {status} after {attempts} attempt(s): {message}")]
    Status {
        model: String,
        status: u16,
        attempts: u32,
        message: String,
    },
    #[error("{model}: {message}")]
    Transport { model: String, message: String },
    #[error("{model}: the reply is not what the protocol says: {message}")]
    Malformed { model: String, message: String },
    #[error("the drafting command `{command}` failed: {message}")]
    Command { command: String, message: String },
    #[error("replay of session {session}: {message}")]
    Replay { session: i64, message: String },
    /// A failure as a recorded session kept it (served by a replay).
    #[error("{message}")]
    Recorded { message: String },
}

impl LlmError {
    pub fn fatal(&self) -> bool {
        matches!(
            self,
            LlmError::Auth { .. } | LlmError::UnknownModel { .. } | LlmError::Replay { .. }
        )
    }

    /// A short word for the store and the live view.
    pub fn kind(&self) -> &'static str {
        match self {
            LlmError::Auth { .. } => "auth",
            LlmError::UnknownModel { .. } => "unknown model",
            LlmError::ContextTooLong { .. } => "context too long",
            LlmError::Timeout { .. } => "timeout",
            LlmError::Status { .. } => "http error",
            LlmError::Transport { .. } => "transport",
            LlmError::Malformed { .. } => "malformed reply",
            LlmError::Command { .. } => "command failed",
            LlmError::Replay { .. } => "replay",
            LlmError::Recorded { .. } => "recorded failure",
        }
    }
}
