//! Which operator acts next: UCB1 over the operators on improvement per case
//! evaluation, and the count of operators that keep making nothing new.

/// Offline operators that made nothing new this many times in a row stop
/// (and so do model requests whose answers made nothing new); with neither
/// left and no answer to come, the search ends.
pub const IDLE_LIMIT: usize = 50;

/// UCB1 over the operators, each tried once first, from the last in the list.
pub struct Bandit {
    pub uses: Vec<usize>,
    reward: Vec<f64>,
}

/// One arm of a bandit as it stood at a choice: what the choice compared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArmFigures {
    pub uses: usize,
    /// The reward per use; None while untried.
    pub mean: Option<f64>,
    /// The mean and its exploration bonus, which the choice compares; None
    /// while untried (an untried arm is chosen before any value counts).
    pub value: Option<f64>,
}

/// UCB1's figures of an arm used `uses` times with reward `mean` per use,
/// after `total` uses of every arm: the mean and a bonus that shrinks with
/// use. Both bandits of the search (operators and models) weigh arms by it.
pub fn ucb1(uses: usize, total: usize, mean: f64) -> ArmFigures {
    if uses == 0 {
        return ArmFigures {
            uses,
            mean: None,
            value: None,
        };
    }
    let bonus = 0.05 * ((total.max(1) as f64).ln() / uses as f64).sqrt();
    ArmFigures {
        uses,
        mean: Some(mean),
        value: Some(mean + bonus),
    }
}

/// The arm to use among `able` ones, from their figures: an untried one
/// first (the last of them when `last_first`), else the highest value.
pub fn choose_by(figures: &[ArmFigures], able: &[bool], last_first: bool) -> Option<usize> {
    let untried = |&o: &usize| able[o] && figures[o].value.is_none();
    let n = figures.len();
    let first_untried = if last_first {
        (0..n).rev().find(untried)
    } else {
        (0..n).find(untried)
    };
    if first_untried.is_some() {
        return first_untried;
    }
    let value = |o: usize| figures[o].value.unwrap_or(f64::NEG_INFINITY);
    (0..n)
        .filter(|&o| able[o])
        .max_by(|&a, &b| value(a).total_cmp(&value(b)))
}

impl Bandit {
    pub fn new(n: usize) -> Bandit {
        Bandit {
            uses: vec![0; n],
            reward: vec![0.0; n],
        }
    }

    /// Every operator's figures now, in the list's order.
    pub fn figures(&self) -> Vec<ArmFigures> {
        let total: usize = self.uses.iter().sum();
        (0..self.uses.len())
            .map(|o| ucb1(self.uses[o], total, self.reward[o] / self.uses[o] as f64))
            .collect()
    }

    /// The operator to use among those `able` to act now.
    pub fn choose(&self, able: &[bool]) -> Option<usize> {
        choose_by(&self.figures(), able, true)
    }

    pub fn reward(&mut self, k: usize, reward: f64) {
        self.reward[k] += reward;
    }
}

/// Offline operators, and model answers, that made nothing new in a row:
/// each kind stops at [`IDLE_LIMIT`].
#[derive(Default)]
pub struct Idle {
    pub offline: usize,
    pub model: usize,
}

impl Idle {
    pub fn answered(&mut self, made: bool) {
        if made {
            // Something new for the offline operators to work on too.
            *self = Idle::default();
        } else {
            self.model += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ucb1, Bandit};

    #[test]
    fn each_operator_is_tried_from_the_last_then_the_best_paid_is_used() {
        let mut b = Bandit::new(3);
        let all = [true; 3];
        assert_eq!(b.choose(&all), Some(2));
        b.uses[2] += 1;
        assert_eq!(b.choose(&[true, true, false]), Some(1));
        b.uses[1] += 1;
        b.uses[0] += 1;
        b.reward(0, 0.5);
        b.reward(1, 0.1);
        assert_eq!(b.choose(&all), Some(0));
        assert_eq!(b.choose(&[false, true, true]), Some(1));
        assert_eq!(b.choose(&[false; 3]), None);
    }

    #[test]
    fn the_figures_hold_the_values_the_choice_compares() {
        let mut b = Bandit::new(4);
        b.uses = vec![2, 1, 0, 4];
        b.reward(0, 1.0);
        b.reward(1, 0.2);
        b.reward(3, 0.4);
        let f = b.figures();
        // By hand: 7 uses in all; operator 0 has a mean of 1.0 / 2.
        let by_hand = 0.5 + 0.05 * (7f64.ln() / 2.0).sqrt();
        assert!((f[0].value.unwrap() - by_hand).abs() < 1e-12, "{f:?}");
        assert_eq!((f[0].uses, f[0].mean), (2, Some(0.5)));
        assert_eq!((f[2].mean, f[2].value), (None, None));
        // The untried one goes first while it is able to act.
        assert_eq!(b.choose(&[true; 4]), Some(2));
        // Then the highest value among the able ones, whatever the others'.
        let able = [false, true, false, true];
        let k = b.choose(&able).unwrap();
        let best = (0..4)
            .filter(|&o| able[o])
            .map(|o| f[o].value.unwrap())
            .fold(f64::NEG_INFINITY, f64::max);
        assert_eq!(f[k].value, Some(best));
        assert_eq!(
            k, 1,
            "0.2 + 0.05 sqrt(ln 7) beats 0.1 + 0.05 sqrt(ln 7 / 4)"
        );

        // Over a run of choices with changing able sets, the arm chosen is
        // an untried able one or has the highest value of the able ones.
        let mut b = Bandit::new(5);
        let mut state: u64 = 7;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 33
        };
        for _ in 0..300 {
            let able: Vec<bool> = (0..5).map(|_| next() % 3 != 0).collect();
            let f = b.figures();
            let Some(k) = b.choose(&able) else {
                assert!(able.iter().all(|a| !a));
                continue;
            };
            assert!(able[k]);
            let untried: Vec<usize> = (0..5).filter(|&o| able[o] && f[o].uses == 0).collect();
            match untried.last() {
                Some(&last) => assert_eq!((k, f[k].value), (last, None)),
                None => {
                    let top = (0..5)
                        .filter(|&o| able[o])
                        .map(|o| f[o].value.unwrap())
                        .fold(f64::NEG_INFINITY, f64::max);
                    assert_eq!(f[k].value, Some(top), "{f:?} {able:?}");
                }
            }
            b.uses[k] += 1;
            b.reward(k, (next() % 100) as f64 / 1000.0 * (k + 1) as f64);
        }
        assert_eq!(
            b.uses.iter().sum::<usize>(),
            b.figures().iter().map(|a| a.uses).sum::<usize>()
        );
        assert_eq!(ucb1(0, 9, f64::NAN).value, None);
    }
}
