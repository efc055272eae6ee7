//! A map bounded by the sum of its entries' weights (bytes, usually), which drops the least
//! recently used entries first: `lru::LruCache` keeps the order, this keeps the budget.

use std::borrow::Borrow;
use std::hash::Hash;

use lru::LruCache;

pub struct WeightedLru<K, V> {
    entries: LruCache<K, (V, usize)>,
    weight: usize,
    budget: usize,
}

impl<K: Eq + Hash, V> WeightedLru<K, V> {
    /// An empty map holding at most `budget` in weight.
    pub fn new(budget: usize) -> Self {
        Self {
            entries: LruCache::unbounded(),
            weight: 0,
            budget,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The sum of the weights of the entries kept.
    pub fn weight(&self) -> usize {
        self.weight
    }

    /// The value of `key`, now the most recently used.
    pub fn get<Q>(&mut self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.entries.get(key).map(|(value, _)| value)
    }

    /// The value of `key` to change in place, now the most recently used.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.entries.get_mut(key).map(|(value, _)| value)
    }

    /// Keeps `value` (unless it alone exceeds the budget), then drops the least recently used
    /// entries until the budget holds.
    pub fn insert(&mut self, key: K, value: V, weight: usize) {
        if let Some((_, old)) = self.entries.pop(&key) {
            self.weight -= old;
        }
        if weight > self.budget {
            return;
        }
        self.entries.put(key, (value, weight));
        self.weight += weight;
        while self.weight > self.budget {
            let Some((_, (_, gone))) = self.entries.pop_lru() else {
                break;
            };
            self.weight -= gone;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_entries_go_first_and_the_budget_holds() {
        let mut lru = WeightedLru::new(10);
        lru.insert("a", 1, 4);
        lru.insert("b", 2, 4);
        assert_eq!(lru.get(&"a"), Some(&1));
        lru.insert("c", 3, 4);
        assert_eq!(lru.get(&"b"), None, "b was the least recently used");
        assert_eq!(lru.get(&"a"), Some(&1));
        assert_eq!(lru.get(&"c"), Some(&3));
        assert_eq!(lru.weight(), 8);
        lru.insert("a", 4, 2);
        assert_eq!(lru.get(&"a"), Some(&4));
        assert_eq!(lru.weight(), 6);
        lru.insert("huge", 5, 11);
        assert_eq!(
            lru.get(&"huge"),
            None,
            "an entry over the budget is not kept"
        );
        assert_eq!(lru.len(), 2);
    }
}
