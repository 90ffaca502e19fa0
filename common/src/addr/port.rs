//! A selector port: a number, or `any`.

use std::fmt;
use std::str::FromStr;

use super::{decimal, AddrError};

/// A transport port in a policy selector: a number or `any`.
///
/// Port 0 *is* `any`: setkey turns `[any]` into 0 before it reaches the kernel, the kernel
/// reports a wildcard as 0, and `setkey -DP` prints 0 as `any`. One value for one meaning
/// keeps `[0]` and `[any]` equal, as they are to the kernel. (A racoon log line prints a
/// socket's port 0 as `[0]`; that is [`super::Endpoint`], which holds a plain `u16`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Port(u16);

impl Port {
    /// The wildcard port, written `any` (0 on the wire).
    pub const ANY: Port = Port(0);

    /// The port with this number; 0 gives [`Port::ANY`].
    pub const fn new(number: u16) -> Port {
        Port(number)
    }

    /// The number as the kernel carries it: 0 for `any`.
    pub const fn get(self) -> u16 {
        self.0
    }

    /// Whether this is the wildcard.
    pub const fn is_any(self) -> bool {
        self.0 == 0
    }

    /// The specific port, or `None` for `any`.
    pub const fn number(self) -> Option<u16> {
        if self.is_any() {
            None
        } else {
            Some(self.0)
        }
    }
}

impl From<u16> for Port {
    fn from(number: u16) -> Port {
        Port(number)
    }
}

impl From<Port> for u16 {
    fn from(port: Port) -> u16 {
        port.0
    }
}

/// Reads `any` or a decimal number (leading zeros allowed, as setkey's lexer allows them),
/// without the brackets.
impl FromStr for Port {
    type Err = AddrError;

    fn from_str(text: &str) -> Result<Port, AddrError> {
        if text == "any" {
            return Ok(Port::ANY);
        }
        if text.is_empty() {
            return Err(AddrError::MissingPort);
        }
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AddrError::InvalidPort(text.to_owned()));
        }
        let number = decimal(text);
        u16::try_from(number)
            .map(Port)
            .map_err(|_| AddrError::PortOutOfRange(number))
    }
}

/// `any` or the number, without brackets.
impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.number() {
            None => f.pad("any"),
            Some(number) => fmt::Display::fmt(&number, f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_is_zero() {
        assert_eq!(Port::ANY, Port::new(0));
        assert_eq!(Port::ANY.get(), 0);
        assert!(Port::ANY.is_any());
        assert_eq!(Port::ANY.number(), None);
        assert_eq!(Port::default(), Port::ANY);
        assert_eq!(Port::new(500).number(), Some(500));
        assert!(!Port::new(500).is_any());
    }

    #[test]
    fn conversions() {
        assert_eq!(Port::from(4500).get(), 4500);
        assert_eq!(u16::from(Port::new(80)), 80);
    }

    #[test]
    fn parse_accepted() {
        assert_eq!("any".parse(), Ok(Port::ANY));
        assert_eq!("0".parse(), Ok(Port::ANY));
        assert_eq!("500".parse(), Ok(Port::new(500)));
        assert_eq!("00080".parse(), Ok(Port::new(80)));
        assert_eq!("65535".parse(), Ok(Port::new(65535)));
    }

    #[test]
    fn parse_rejected() {
        assert_eq!("".parse::<Port>(), Err(AddrError::MissingPort));
        assert_eq!(
            "65536".parse::<Port>(),
            Err(AddrError::PortOutOfRange(65536))
        );
        assert_eq!(
            "99999999999999999999999".parse::<Port>(),
            Err(AddrError::PortOutOfRange(u64::MAX))
        );
        for bad in ["ANY", "http", "-1", "+5", "0x50", " 80", "80 ", "8 0", "٣"] {
            assert_eq!(
                bad.parse::<Port>(),
                Err(AddrError::InvalidPort(bad.to_owned())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn display() {
        assert_eq!(Port::ANY.to_string(), "any");
        assert_eq!(Port::new(4500).to_string(), "4500");
        assert_eq!(format!("{:>5}", Port::ANY), "  any");
        assert_eq!(format!("{:<5}|", Port::new(80)), "80   |");
    }

    #[test]
    fn round_trip_every_port() {
        for number in 0..=u16::MAX {
            let port = Port::new(number);
            assert_eq!(port.to_string().parse(), Ok(port));
        }
    }
}
