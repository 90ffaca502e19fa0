//! The `setkey -D` / `-DP` text of `common::dump`, for the apply step's `get`, `dump`
//! and `spddump` statements.

use crate::apply::DumpPrinter;
use common::dump::{self, DumpOptions};
use common::policy::Policy;
use common::sa::{Dumped, Sa};

pub struct Printer<'a> {
    pub opts: DumpOptions<'a>,
}

impl DumpPrinter for Printer<'_> {
    fn sa(&self, entry: &Dumped<Sa>, out: &mut String) {
        // Writing to a String cannot fail.
        let _ = dump::sa(out, entry, &self.opts);
    }

    fn policy(&self, entry: &Dumped<Policy>, out: &mut String) {
        let _ = dump::policy(out, entry, &self.opts);
    }
}
