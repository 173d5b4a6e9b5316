//! The built-in problems, embedded in the binary so that ale works from any folder.

/// (id, problem.toml, statement.md) of each built-in problem.
pub const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "tsp",
        include_str!("../../problems/tsp/problem.toml"),
        include_str!("../../problems/tsp/statement.md"),
    ),
    (
        "prospect",
        include_str!("../../problems/prospect/problem.toml"),
        include_str!("../../problems/prospect/statement.md"),
    ),
    (
        "qap",
        include_str!("../../problems/qap/problem.toml"),
        include_str!("../../problems/qap/statement.md"),
    ),
    (
        "jobshop",
        include_str!("../../problems/jobshop/problem.toml"),
        include_str!("../../problems/jobshop/statement.md"),
    ),
    (
        "lamps",
        include_str!("../../problems/lamps/problem.toml"),
        include_str!("../../problems/lamps/statement.md"),
    ),
    (
        "courier",
        include_str!("../../problems/courier/problem.toml"),
        include_str!("../../problems/courier/statement.md"),
    ),
    (
        "packing",
        include_str!("../../problems/packing/problem.toml"),
        include_str!("../../problems/packing/statement.md"),
    ),
];
