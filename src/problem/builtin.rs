//! The built-in problems, embedded in the binary so that ale works from any
//! folder: each with its statement and its starting solvers (the sources of
//! `solvers/<id>/`), so that `ale solve` has something to start from after
//! `cargo install`.

/// One built-in problem as the binary carries it.
pub struct BuiltinProblem {
    pub id: &'static str,
    /// The text of `problems/<id>/problem.toml`.
    pub toml: &'static str,
    /// The text of `problems/<id>/statement.md`.
    pub statement: &'static str,
    /// (file name, source) of each file of `solvers/<id>/`.
    pub solvers: &'static [(&'static str, &'static str)],
}

/// Every built-in problem; a test checks that the solvers listed are all of
/// `solvers/<id>/`, so that a file added there is not forgotten here.
pub const BUILTIN: &[BuiltinProblem] = &[
    BuiltinProblem {
        id: "tsp",
        toml: include_str!("../../problems/tsp/problem.toml"),
        statement: include_str!("../../problems/tsp/statement.md"),
        solvers: &[
            ("baseline.rs", include_str!("../../solvers/tsp/baseline.rs")),
            ("ils.rs", include_str!("../../solvers/tsp/ils.rs")),
        ],
    },
    BuiltinProblem {
        id: "prospect",
        toml: include_str!("../../problems/prospect/problem.toml"),
        statement: include_str!("../../problems/prospect/statement.md"),
        solvers: &[
            (
                "baseline.rs",
                include_str!("../../solvers/prospect/baseline.rs"),
            ),
            ("ucb.rs", include_str!("../../solvers/prospect/ucb.rs")),
        ],
    },
    BuiltinProblem {
        id: "qap",
        toml: include_str!("../../problems/qap/problem.toml"),
        statement: include_str!("../../problems/qap/statement.md"),
        solvers: &[
            ("baseline.rs", include_str!("../../solvers/qap/baseline.rs")),
            ("tabu.rs", include_str!("../../solvers/qap/tabu.rs")),
        ],
    },
    BuiltinProblem {
        id: "jobshop",
        toml: include_str!("../../problems/jobshop/problem.toml"),
        statement: include_str!("../../problems/jobshop/statement.md"),
        solvers: &[
            (
                "baseline.rs",
                include_str!("../../solvers/jobshop/baseline.rs"),
            ),
            ("tabu.rs", include_str!("../../solvers/jobshop/tabu.rs")),
        ],
    },
    BuiltinProblem {
        id: "lamps",
        toml: include_str!("../../problems/lamps/problem.toml"),
        statement: include_str!("../../problems/lamps/statement.md"),
        solvers: &[
            ("anneal.rs", include_str!("../../solvers/lamps/anneal.rs")),
            (
                "baseline.rs",
                include_str!("../../solvers/lamps/baseline.rs"),
            ),
        ],
    },
    BuiltinProblem {
        id: "courier",
        toml: include_str!("../../problems/courier/problem.toml"),
        statement: include_str!("../../problems/courier/statement.md"),
        solvers: &[
            (
                "baseline.rs",
                include_str!("../../solvers/courier/baseline.rs"),
            ),
            ("ruin.rs", include_str!("../../solvers/courier/ruin.rs")),
        ],
    },
    BuiltinProblem {
        id: "packing",
        toml: include_str!("../../problems/packing/problem.toml"),
        statement: include_str!("../../problems/packing/statement.md"),
        solvers: &[
            (
                "baseline.rs",
                include_str!("../../solvers/packing/baseline.rs"),
            ),
            (
                "skyline.rs",
                include_str!("../../solvers/packing/skyline.rs"),
            ),
        ],
    },
];

/// The starting solvers embedded for the built-in problem `id` (none for any other id).
pub fn solvers(id: &str) -> &'static [(&'static str, &'static str)] {
    BUILTIN
        .iter()
        .find(|p| p.id == id)
        .map_or(&[], |p| p.solvers)
}

#[cfg(test)]
mod tests {
    use super::BUILTIN;

    #[test]
    fn every_file_of_the_solvers_folders_is_embedded_as_it_is() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("solvers");
        for problem in BUILTIN {
            let mut on_disk: Vec<(String, String)> = std::fs::read_dir(root.join(problem.id))
                .unwrap()
                .map(|e| e.unwrap().path())
                .map(|p| {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(&p).unwrap())
                })
                .collect();
            on_disk.sort();
            let embedded: Vec<(String, String)> = problem
                .solvers
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect();
            assert_eq!(embedded, on_disk, "solvers/{}/", problem.id);
        }
        // Every folder of solvers/ belongs to a built-in problem.
        assert_eq!(std::fs::read_dir(&root).unwrap().count(), BUILTIN.len());
    }
}
