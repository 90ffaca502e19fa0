//! setkey's version line and usage text.
//!
//! Same layout as ipsec-tools 0.9.1 on Linux (where the `-r`/`-k` letters
//! are shown): the version line, then one synopsis line per mode, all on
//! stdout. Ours adds `N` to the `-D` line, as the maintained fork's manual
//! does, and one line for `--backend`.

use common::version::SETKEY_VERSION_LINE;

/// `setkey -V`.
pub fn version() -> String {
    format!("{SETKEY_VERSION_LINE}\n")
}

/// `setkey -h`, `setkey -?`, a bad option, or no mode.
pub fn usage() -> String {
    let mut text = version();
    text.push_str(concat!(
        "usage: setkey [-vrk] file ...\n",
        "       setkey [-nvrk] -c\n",
        "       setkey [-nvrk] -f filename\n",
        "       setkey [-PalNpvrk] -D\n",
        "       setkey [-Pv] -F\n",
        "       setkey [-H] -x\n",
        "       setkey [-V] [-h]\n",
        "       setkey [--backend pfkey|xfrm|auto] ...\n",
    ));
    text
}
