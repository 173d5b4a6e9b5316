//! The list of the search's operators, of both kinds, in one place: the
//! order the bandit tries them in (from the last: a tuning burst before
//! perturbations; with a model, an improvement first) and the names
//! `--operators` accepts.

use super::model_ops::ModelOperator;
use super::offline::{Crossover, Perturb, TuneBurst};
use super::operator::{AsksModel, Kind, Operator};

/// An operator of the search, of either kind.
pub enum AnyOperator {
    Offline(Box<dyn Operator>),
    Model(Box<dyn AsksModel>),
}

impl AnyOperator {
    pub fn name(&self) -> &'static str {
        match self {
            AnyOperator::Offline(o) => o.name(),
            AnyOperator::Model(o) => o.name(),
        }
    }

    pub fn asks_model(&self) -> bool {
        matches!(self, AnyOperator::Model(_))
    }
}

/// Every operator; those that ask a model only `with_model`.
pub fn all(with_model: bool) -> Vec<AnyOperator> {
    let mut list = vec![
        AnyOperator::Offline(Box::new(Perturb)),
        AnyOperator::Offline(Box::new(Crossover)),
        AnyOperator::Offline(Box::new(TuneBurst)),
    ];
    if with_model {
        list.extend(
            Kind::ALL
                .into_iter()
                .map(|kind| AnyOperator::Model(Box::new(ModelOperator { kind }))),
        );
    }
    list
}

/// The names of every operator, for `--operators`.
pub fn operator_names() -> Vec<&'static str> {
    all(true).iter().map(|o| o.name()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_operator_has_its_own_name_and_model_ones_come_last() {
        let names = super::operator_names();
        assert_eq!(
            names,
            [
                "perturb",
                "crossover",
                "tune",
                "llm-crossover",
                "repair",
                "draft",
                "improve"
            ]
        );
        assert!(super::all(true)[3..].iter().all(|o| o.asks_model()));
        assert!(super::all(false).iter().all(|o| !o.asks_model()));
    }
}
