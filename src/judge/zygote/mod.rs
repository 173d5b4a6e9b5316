//! The spawn server. The kernel's peak-memory figure of a process (`ru_maxrss`)
//! counts the memory of what it was before `exec`, and forking a big parent is
//! slow; so solutions are not started from ale itself but forked by a small
//! server process, `ale __spawn-server` (a fresh `ale` process that has touched
//! little memory), one per worker thread, that ale talks to over a Unix
//! seqpacket socket. When solutions are boxed, the thread's server runs inside
//! a lasting bubblewrap box (`ale __spawn-server --boxed [--uid N]`), so that
//! no case pays for starting bubblewrap, and starts each case in namespaces of
//! its own ([`super::sandbox::case`]). The server is the case's keeper: it
//! enforces deadlines and kills, and it takes the figures of the verdict
//! (cgroup CPU time and peak memory, `wait4`, the wall clock) where the
//! solution cannot reach: another uid or another PID namespace, not dumpable,
//! behind a seccomp filter that denies tracing and taking descriptors.
//!
//! Protocol, one message each way per step, each about one case `TAG`:
//! - ale sends `run TAG <address space> <cpu seconds> <file size> <processes> <kill after µs> <memory bytes> <folder bytes> <exact memory 0|1>\0<folder>\0<argv0>\0<argv1>...`
//!   with three file descriptors attached (the solution's stdin, stdout,
//!   stderr) and optionally a fourth, which the case gets as descriptor 3;
//! - the server forks (boxed: clones the case's keeper, see
//!   [`crate::judge::sandbox::case`]); the child applies the limits, enters the
//!   folder and executes the command line; the server answers
//!   `started TAG <pid>` (or `error TAG <errno> <what>` when it could not be executed);
//! - while the case runs, `kill TAG` kills it (its output passed the limit);
//!   at the deadline the server kills it itself;
//! - when it ends the server answers
//!   `ended TAG exit|signal <n> <peak memory KiB> <wall µs> <killed at deadline 0|1> <cpu µs> <folder full 0|1>`,
//!   having killed its group (in a box: its whole PID namespace).

//!
//! The server's side is `server.rs`, ale's side `client.rs`, and the messages
//! both exchange `wire.rs`.

mod client;
mod server;
mod wire;

pub(crate) use client::{reserve, run_here, spawn, Handle, Killer};
pub(crate) use server::peak_memory_kb;
pub use server::serve;
pub(crate) use wire::{figures, parse_figures, request_message};

/// The first argument that turns the `ale` binary into the spawn server.
pub const SERVER_ARG: &str = "__spawn-server";

/// The server's argument saying it runs inside a lasting box (see
/// [`crate::judge::sandbox::BoxSpec`]):
/// each case then gets namespaces, a folder and cgroups of its own.
pub const BOXED_ARG: &str = "--boxed";

/// The server's argument naming the uid (and gid) its cases run as.
pub const UID_ARG: &str = "--uid";
