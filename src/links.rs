//! The addresses of the pages of `ale serve` that the terminal, `ale show`
//! and a submission's report.md point to: `ALE_SERVE_URL` (where a user
//! serves the store), or `ale serve`'s default address.

/// The default address of `ale serve` (`--bind 127.0.0.1 --port 8080`).
pub const DEFAULT_BASE: &str = "http://127.0.0.1:8080";

/// The server's address, without a trailing slash.
pub fn base() -> String {
    std::env::var("ALE_SERVE_URL")
        .ok()
        .map(|u| u.trim().trim_end_matches('/').to_string())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DEFAULT_BASE.to_string())
}

/// A search session's page.
pub fn session(id: i64) -> String {
    format!("{}/sessions/{id}", base())
}

/// A candidate's page.
pub fn candidate(session: i64, id: i64) -> String {
    format!("{}/sessions/{session}/candidates/{id}", base())
}

/// A run's page.
pub fn run(id: i64) -> String {
    format!("{}/runs/{id}", base())
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_are_the_pages_of_ale_serve() {
        // The environment is the process's: only the default is checked here
        // when no one set it.
        if std::env::var_os("ALE_SERVE_URL").is_none() {
            assert_eq!(super::session(7), "http://127.0.0.1:8080/sessions/7");
            assert_eq!(
                super::candidate(7, 12),
                "http://127.0.0.1:8080/sessions/7/candidates/12"
            );
            assert_eq!(super::run(3), "http://127.0.0.1:8080/runs/3");
        }
    }
}
