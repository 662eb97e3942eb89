//! Lists of strings kept in two allocations (the texts back to back, and where
//! each one ends): callers and callees of tasks and campaigns, which a single
//! request may carry by the thousand, cost their bytes and one index each
//! instead of a `String` apiece.

use std::mem::size_of;

/// A packed list of strings.
#[derive(Default)]
pub(crate) struct Texts {
    text: Box<str>,
    ends: Box<[usize]>,
}

impl Texts {
    /// Packs `items`.
    pub(crate) fn of<S: AsRef<str>>(items: &[S]) -> Texts {
        let mut text = String::with_capacity(items.iter().map(|s| s.as_ref().len()).sum());
        let mut ends = Vec::with_capacity(items.len());
        for s in items {
            text.push_str(s.as_ref());
            ends.push(text.len());
        }
        Texts {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    /// The strings, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// String `i`, or `""` past the end.
    pub(crate) fn get(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or_default()
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.len() + self.ends.len() * size_of::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::Texts;

    #[test]
    fn packs_and_unpacks() {
        let t = Texts::of(&["a", "", "bcd"]);
        assert_eq!(t.iter().collect::<Vec<_>>(), ["a", "", "bcd"]);
        assert_eq!((t.len(), t.get(7)), (3, ""));
        assert_eq!(Texts::of::<&str>(&[]).len(), 0);
    }
}
