//! `ale serve`: a web application over the store, read-only. It owns the
//! server and the answers of a failed request (this file), the routes and the
//! server-sent events (`routes.rs`), what each page shows as a typed document
//! that is both the JSON API and what the HTML is drawn from (`data/`), the
//! HTML (`html/`), the charts and the candidate tree as SVG (`svg.rs`), and
//! the stylesheet and script built into the binary (`assets/`).
//!
//! Each request opens the store read-only for itself: SQLite in WAL mode lets
//! readers and the one writer (a running search) go on without waiting for
//! each other, and a page is drawn from one snapshot of it.

mod data;
mod html;
mod routes;
mod svg;

use crate::error::{Error, Result};
use crate::problem::Registry;
use crate::store::Store;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// What `ale serve` serves and where.
pub struct ServeOptions {
    /// The store, opened read-only.
    pub store: PathBuf,
    pub address: SocketAddr,
    /// The problems, for their objective, inputs and pictures.
    pub registry: Registry,
    /// How often the live pages look at the store for something new.
    pub poll: Duration,
}

/// What every handler shares.
struct Shared {
    store: PathBuf,
    registry: Registry,
    poll: Duration,
    /// Listening on the loopback only: requests must name this machine.
    local_only: bool,
}

type AppState = Arc<Shared>;

/// Serves until the process ends. Fails before listening when the store
/// cannot be read as an ale store or the address cannot be bound;
/// `listening` is told the address once the socket is open (the port that
/// port 0 became).
pub fn serve(options: ServeOptions, listening: impl FnOnce(SocketAddr)) -> Result<()> {
    Store::open_read_only(&options.store)?;
    // The pages give way to the search: at nice 10 a server flooded with
    // requests takes a tenth of a busy core, not a core of the judge's.
    // SAFETY: setpriority has no memory preconditions; the threads made
    // after it (the runtime's) inherit it.
    unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 10) };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the web server's runtime: {e}")))?;
    let address = options.address;
    let state = Arc::new(Shared {
        store: options.store,
        registry: options.registry,
        poll: options.poll,
        local_only: address.ip().is_loopback(),
    });
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| {
            Error::Usage(format!(
                "cannot listen on {address}: {e}; choose another --port or --bind"
            ))
        })?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::Internal(format!("the listening socket: {e}")))?;
        listening(bound);
        axum::serve(listener, routes::router(state))
            .await
            .map_err(|e| Error::Internal(format!("the web server stopped: {e}")))
    })
}

/// Why a request got no page.
#[derive(Debug)]
pub(crate) enum Failure {
    /// 404: nothing in the store by that id.
    NotFound(String),
    /// 400: a path or query value that means nothing.
    BadRequest(String),
    /// 403: a request this server does not answer.
    Forbidden(String),
    /// 500: the store could not be read.
    Store(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Store(e)
    }
}

impl Failure {
    /// The HTTP status it answers with, and its message.
    fn answer(self) -> (StatusCode, String) {
        match self {
            Failure::NotFound(m) => (StatusCode::NOT_FOUND, m),
            Failure::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            Failure::Forbidden(m) => (StatusCode::FORBIDDEN, m),
            Failure::Store(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (status, message) = self.answer();
        (status, Html(html::failure(status.as_u16(), &message))).into_response()
    }
}
