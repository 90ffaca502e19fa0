//! `wire_enum!` declares a protocol number space as an enum with an `Unknown` fallback, so
//! that every received value decodes (totality) and every decoded value encodes back to the
//! same number (byte-exactness). Build values from numbers with `From`, which maps known
//! numbers to their variant; an `Unknown` holding a known number is never produced.

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $repr:ty {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal => $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this implementation has no name for, kept as received.
            Unknown($repr),
        }

        impl From<$repr> for $name {
            fn from(v: $repr) -> Self {
                match v {
                    $( $value => $name::$variant, )*
                    other => $name::Unknown(other),
                }
            }
        }

        impl From<$name> for $repr {
            fn from(v: $name) -> $repr {
                match v {
                    $( $name::$variant => $value, )*
                    $name::Unknown(other) => other,
                }
            }
        }

        impl $name {
            /// The wire value.
            pub fn value(self) -> $repr {
                <$repr>::from(self)
            }

            /// The name the RFCs and racoon's logs use, if the value is known.
            pub fn name(self) -> Option<&'static str> {
                match self {
                    $( $name::$variant => Some($text), )*
                    $name::Unknown(_) => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self.name() {
                    Some(text) => f.write_str(text),
                    None => write!(f, "{}({})", stringify!($name), self.value()),
                }
            }
        }
    };
}

pub(crate) use wire_enum;
