//! The routes: each page, its JSON under `/api`, the assets, and the
//! server-sent events of a session. A handler checks its path and query
//! values (400), reads its document on a blocking thread in one snapshot of
//! the store (404 when the id is unknown) and draws it.

use super::{data, html, AppState, Failure};
use crate::error::Error;
use crate::problem::Registry;
use crate::store::Store;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;

pub(super) fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/assets/style.css", get(style))
        .route("/assets/app.js", get(script))
        .route("/sessions/{id}", get(session))
        .route("/sessions/{id}/live", get(session_live))
        .route("/sessions/{id}/candidates/{cid}", get(candidate))
        .route(
            "/sessions/{id}/candidates/{cid}/cases/{seed}",
            get(candidate_case),
        )
        .route(
            "/sessions/{id}/candidates/{cid}/cases/{seed}/output",
            get(candidate_output),
        )
        .route("/sessions/{id}/calls/{n}", get(call))
        .route("/runs/{run}", get(run))
        .route("/runs/{run}/cases/{index}", get(run_case))
        .route("/runs/{run}/cases/{index}/output", get(run_output))
        .route("/tunings/{id}", get(tuning))
        .route("/benches/{id}", get(bench))
        .route("/api", get(api_home))
        .route("/api/sessions/{id}", get(api_session))
        .route("/api/sessions/{id}/events", get(events))
        .route("/api/sessions/{id}/candidates/{cid}", get(api_candidate))
        .route(
            "/api/sessions/{id}/candidates/{cid}/cases/{seed}",
            get(api_candidate_case),
        )
        .route("/api/sessions/{id}/calls/{n}", get(api_call))
        .route("/api/runs/{run}", get(api_run))
        .route("/api/runs/{run}/cases/{index}", get(api_run_case))
        .route("/api/tunings/{id}", get(api_tuning))
        .route("/api/benches/{id}", get(api_bench))
        .fallback(|| async { Failure::NotFound("no page here: start from /".into()) })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            local_host,
        ))
        .with_state(state)
}

/// A server on the loopback answers only requests addressed to this machine
/// by name: a web page elsewhere cannot read the store through a name of its
/// own that it points at 127.0.0.1 (DNS rebinding).
async fn local_host(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let mut response = if state.local_only && !is_local(host) {
        Failure::Forbidden(format!(
            "this server answers requests for localhost or 127.0.0.1, not for `{host}`"
        ))
        .into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    // Pages draw what solutions wrote (their outputs, their stderr): only
    // this server's own script runs, and nothing is taken for another type.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    response
}

/// Whether a Host header names this machine: localhost or a loopback
/// address, with or without a port.
fn is_local(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A failure as the JSON API answers it.
struct JsonFailure(Failure);

impl IntoResponse for JsonFailure {
    fn into_response(self) -> Response {
        let (status, message) = self.0.answer();
        (status, Json(serde_json::json!({ "error": message }))).into_response()
    }
}

/// A number from the path, or a 400 that names what it should have been.
fn number<T: std::str::FromStr>(what: &str, text: &str) -> Result<T, Failure> {
    text.parse().map_err(|_| {
        Failure::BadRequest(format!(
            "{what} `{text}` is not a number: use the id ale shows"
        ))
    })
}

/// Runs `load` on a blocking thread with the store open read-only.
async fn read<T: Send + 'static>(
    state: &AppState,
    load: impl FnOnce(&Store, &Registry) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let store = Store::open_read_only(&state.store)?;
        store.snapshot(|s| load(s, &state.registry))?
    })
    .await
    .map_err(|e| Failure::Store(Error::Internal(format!("a page's reader failed: {e}"))))?
}

type Params = Path<HashMap<String, String>>;

/// Path value `key` as a number.
fn param<T: std::str::FromStr>(params: &Params, key: &str, what: &str) -> Result<T, Failure> {
    number(what, params.get(key).map_or("", String::as_str))
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("assets/style.css"),
    )
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("assets/app.js"),
    )
}

async fn home(State(state): State<AppState>) -> Result<Html<String>, Failure> {
    let home = read(&state, |s, r| Ok(data::home(s, r)?)).await?;
    Ok(Html(html::home(&home)))
}

async fn api_home(State(state): State<AppState>) -> Result<Json<data::Home>, JsonFailure> {
    read(&state, |s, r| Ok(data::home(s, r)?))
        .await
        .map(Json)
        .map_err(JsonFailure)
}

async fn load_session(state: &AppState, params: &Params) -> Result<data::SessionView, Failure> {
    let id: i64 = param(params, "id", "session id")?;
    read(state, move |s, r| data::session(s, r, id)).await
}

async fn session(State(state): State<AppState>, p: Params) -> Result<Html<String>, Failure> {
    Ok(Html(html::session(&load_session(&state, &p).await?)))
}

async fn session_live(State(state): State<AppState>, p: Params) -> Result<Html<String>, Failure> {
    Ok(Html(html::session_live(&load_session(&state, &p).await?)))
}

async fn api_session(
    State(state): State<AppState>,
    p: Params,
) -> Result<Json<data::SessionView>, JsonFailure> {
    load_session(&state, &p)
        .await
        .map(Json)
        .map_err(JsonFailure)
}

async fn load_candidate(
    state: &AppState,
    params: &Params,
    query: &HashMap<String, String>,
) -> Result<data::CandidateView, Failure> {
    let id: i64 = param(params, "id", "session id")?;
    let cid: i64 = param(params, "cid", "candidate id")?;
    let sort = match query.get("sort") {
        None => data::CaseSort::Seed,
        Some(text) => data::CaseSort::parse(text).ok_or_else(|| {
            Failure::BadRequest(format!(
                "sort `{text}` is not a column: use seed, verdict, score, relative, time or memory"
            ))
        })?,
    };
    read(state, move |s, r| data::candidate(s, r, id, cid, sort)).await
}

async fn candidate(
    State(state): State<AppState>,
    p: Params,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, Failure> {
    Ok(Html(html::candidate(
        &load_candidate(&state, &p, &q).await?,
    )))
}

async fn api_candidate(
    State(state): State<AppState>,
    p: Params,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<data::CandidateView>, JsonFailure> {
    load_candidate(&state, &p, &q)
        .await
        .map(Json)
        .map_err(JsonFailure)
}

async fn load_candidate_case(state: &AppState, p: &Params) -> Result<data::CaseView, Failure> {
    let id: i64 = param(p, "id", "session id")?;
    let cid: i64 = param(p, "cid", "candidate id")?;
    let seed: u64 = param(p, "seed", "seed")?;
    read(state, move |s, r| data::candidate_case(s, r, id, cid, seed)).await
}

async fn candidate_case(State(state): State<AppState>, p: Params) -> Result<Html<String>, Failure> {
    Ok(Html(html::case(&load_candidate_case(&state, &p).await?)))
}

async fn api_candidate_case(
    State(state): State<AppState>,
    p: Params,
) -> Result<Json<data::CaseView>, JsonFailure> {
    load_candidate_case(&state, &p)
        .await
        .map(Json)
        .map_err(JsonFailure)
}

/// A case's output as plain text: what a solution wrote is never served as
/// a page of this site.
fn plain(bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "inline"),
        ],
        bytes,
    )
        .into_response()
}

async fn candidate_output(State(state): State<AppState>, p: Params) -> Result<Response, Failure> {
    let id: i64 = param(&p, "id", "session id")?;
    let cid: i64 = param(&p, "cid", "candidate id")?;
    let seed: u64 = param(&p, "seed", "seed")?;
    let bytes = read(&state, move |s, _| data::candidate_output(s, id, cid, seed)).await?;
    Ok(plain(bytes))
}

async fn run_output(State(state): State<AppState>, p: Params) -> Result<Response, Failure> {
    let run: i64 = param(&p, "run", "run id")?;
    let index: usize = param(&p, "index", "case index")?;
    let bytes = read(&state, move |s, _| data::run_output(s, run, index)).await?;
    Ok(plain(bytes))
}

async fn load_run(state: &AppState, p: &Params) -> Result<data::RunView, Failure> {
    let id: i64 = param(p, "run", "run id")?;
    read(state, move |s, _| data::run(s, id)).await
}

async fn run(State(state): State<AppState>, p: Params) -> Result<Html<String>, Failure> {
    Ok(Html(html::run(&load_run(&state, &p).await?)))
}

async fn api_run(
    State(state): State<AppState>,
    p: Params,
) -> Result<Json<data::RunView>, JsonFailure> {
    load_run(&state, &p).await.map(Json).map_err(JsonFailure)
}

async fn load_run_case(state: &AppState, p: &Params) -> Result<data::CaseView, Failure> {
    let run: i64 = param(p, "run", "run id")?;
    let index: usize = param(p, "index", "case index")?;
    read(state, move |s, r| data::run_case(s, r, run, index)).await
}

async fn run_case(State(state): State<AppState>, p: Params) -> Result<Html<String>, Failure> {
    Ok(Html(html::case(&load_run_case(&state, &p).await?)))
}

async fn api_run_case(
    State(state): State<AppState>,
    p: Params,
) -> Result<Json<data::CaseView>, JsonFailure> {
    load_run_case(&state, &p)
        .await
        .map(Json)
        .map_err(JsonFailure)
}

async fn load_call(state: &AppState, p: &Params) -> Result<data::CallView, Failure> {
    let id: i64 = param(p, "id", "session id")?;
    let n: i64 = param(p, "n", "call number")?;
    read(state, move |s, _| data::call(s, id, n)).await
}

async fn call(State(state): State<AppState>, p: Params) -> Result<Html<String>, Failure> {
    Ok(Html(html::call(&load_call(&state, &p).await?)))
}

async fn api_call(
    State(state): State<AppState>,
    p: Params,
) -> Result<Json<data::CallView>, JsonFailure> {
    load_call(&state, &p).await.map(Json).map_err(JsonFailure)
}

async fn load_tuning(state: &AppState, p: &Params) -> Result<data::TuningView, Failure> {
    let id: i64 = param(p, "id", "tuning id")?;
    read(state, move |s, _| data::tuning(s, id)).await
}

async fn tuning(State(state): State<AppState>, p: Params) -> Result<Html<String>, Failure> {
    Ok(Html(html::tuning(&load_tuning(&state, &p).await?)))
}

async fn api_tuning(
    State(state): State<AppState>,
    p: Params,
) -> Result<Json<data::TuningView>, JsonFailure> {
    load_tuning(&state, &p).await.map(Json).map_err(JsonFailure)
}

async fn load_bench(
    state: &AppState,
    p: &Params,
    query: &HashMap<String, String>,
) -> Result<data::BenchView, Failure> {
    let id: i64 = param(p, "id", "bench id")?;
    let compare: Option<i64> = query
        .get("compare")
        .map(|old| number("compare (a bench id)", old))
        .transpose()?;
    read(state, move |s, r| data::bench(s, r, id, compare)).await
}

async fn bench(
    State(state): State<AppState>,
    p: Params,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, Failure> {
    Ok(Html(html::bench(&load_bench(&state, &p, &q).await?)))
}

async fn api_bench(
    State(state): State<AppState>,
    p: Params,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<data::BenchView>, JsonFailure> {
    load_bench(&state, &p, &q)
        .await
        .map(Json)
        .map_err(JsonFailure)
}

/// Server-sent events for a session: an event `change` with the session's
/// activity (candidates, cases, model calls) now, and again each time it
/// changes; the store is looked at every `poll`.
async fn events(State(state): State<AppState>, p: Params) -> Result<Response, JsonFailure> {
    let id: i64 = param(&p, "id", "session id").map_err(JsonFailure)?;
    let first = read(&state, move |s, _| {
        s.session(id)?
            .ok_or_else(|| Failure::NotFound(format!("session {id}: no such session")))?;
        Ok(s.session_activity(id)?)
    })
    .await
    .map_err(JsonFailure)?;
    let stream = futures_util::stream::unfold(
        (state, None::<crate::store::SessionActivity>, first),
        move |(state, sent, now)| async move {
            let mut now = now;
            if sent == Some(now) {
                loop {
                    tokio::time::sleep(state.poll).await;
                    // A store that cannot be read for a moment (a writer
                    // checkpointing) is looked at again at the next tick.
                    if let Ok(activity) =
                        read(&state, move |s, _| Ok(s.session_activity(id)?)).await
                    {
                        if activity != now {
                            now = activity;
                            break;
                        }
                    }
                }
            }
            let event = Event::default()
                .event("change")
                .json_data(now)
                .unwrap_or_else(|_| Event::default().event("change"));
            Some((
                Ok::<_, std::convert::Infallible>(event),
                (state, Some(now), now),
            ))
        },
    );
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::is_local;

    #[test]
    fn only_names_of_this_machine_are_local() {
        for host in [
            "localhost",
            "localhost:8080",
            "LOCALHOST:1",
            "127.0.0.1:80",
            "127.0.0.2",
            "[::1]:8080",
        ] {
            assert!(is_local(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "10.0.0.1:8080",
            "[::2]:80",
        ] {
            assert!(!is_local(host), "{host}");
        }
    }
}
