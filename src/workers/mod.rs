//! Where cases are judged beyond the judge's own threads: worker processes
//! (`ale __worker`) started once for a command, on this machine or as
//! one-CPU Slurm tasks on a cluster's nodes, that connect back to the judge
//! over TCP. The judge compiles each solution once and sends its files to
//! each worker once (kept there by hash); inputs go out, outputs and figures
//! come back, and scoring and the store stay with the judge: no node opens
//! the SQLite file.
//!
//! - `protocol`: the frames on the wire, the token, the heartbeat;
//! - `node`: the worker's side, which runs cases in its own box;
//! - `client`: the judge's side of one worker;
//! - `pool`: the workers of a command, started, waited for, lent to runs,
//!   and stopped with their jobs;
//! - `config`: `--workers` and `[workers]` of ale.toml, and the `srun` line
//!   of a Slurm worker;
//! - `slurm`: the checks of a Slurm set-up that `ale doctor` reports.

mod client;
pub mod config;
pub mod node;
mod pool;
mod protocol;
pub mod slurm;

pub use client::{accept, Hello, Worker};
pub use config::{Layout, WorkersConfig};
pub use pool::{Pool, PoolSettings, Remote};
pub use protocol::{ALIVE_EVERY, TOKEN_VAR, WORKER_ARG};
