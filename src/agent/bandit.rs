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

impl Bandit {
    pub fn new(n: usize) -> Bandit {
        Bandit {
            uses: vec![0; n],
            reward: vec![0.0; n],
        }
    }

    /// The operator to use among those `able` to act now.
    pub fn choose(&self, able: &[bool]) -> Option<usize> {
        let n = self.uses.len();
        if let Some(untried) = (0..n).rev().find(|&o| able[o] && self.uses[o] == 0) {
            return Some(untried);
        }
        let total: usize = self.uses.iter().sum();
        let score = |o: usize| {
            self.reward[o] / self.uses[o] as f64
                + 0.05 * ((total.max(1) as f64).ln() / self.uses[o] as f64).sqrt()
        };
        (0..n)
            .filter(|&o| able[o])
            .max_by(|&a, &b| score(a).total_cmp(&score(b)))
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
    use super::Bandit;

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
}
