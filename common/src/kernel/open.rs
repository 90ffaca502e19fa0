//! Choosing and opening a backend.

use super::rfc_pfkey::RfcPfkey;
use super::{Backend, Kernel, KernelError};
use crate::pfkey::{self, PfkeyKernel};
use crate::xfrm::XfrmKernel;
use std::fmt;

/// Why no kernel interface could be opened.
#[derive(Debug)]
pub enum OpenError {
    Pfkey(pfkey::OpenError),
    Xfrm(KernelError),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Pfkey(e) => write!(f, "{e}"),
            OpenError::Xfrm(e) => write!(f, "XFRM netlink socket: {e}"),
        }
    }
}

impl std::error::Error for OpenError {}

/// The backend `choice` names; under [`Backend::Auto`], PF_KEY where the kernel has
/// AF_KEY (as the original tools), XFRM netlink otherwise.
pub fn resolve_backend(choice: Backend) -> Backend {
    match choice {
        Backend::Auto if pfkey::pfkey_available() => Backend::Pfkey,
        Backend::Auto => Backend::Xfrm,
        b => b,
    }
}

/// Opens the backend `choice` resolves to. PF_KEY comes with XFRM standing by for the
/// SAs PF_KEY would install wrongly (see [`super::rfc_pfkey`]).
pub fn open(choice: Backend) -> Result<Box<dyn Kernel>, OpenError> {
    Ok(match resolve_backend(choice) {
        Backend::Pfkey => Box::new(RfcPfkey::new(
            PfkeyKernel::open().map_err(OpenError::Pfkey)?,
        )),
        _ => Box::new(XfrmKernel::open().map_err(OpenError::Xfrm)?),
    })
}
