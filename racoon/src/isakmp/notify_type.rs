//! Notify message types: the RFC 2408 3.14.1 errors and status, the IPsec DOI status
//! values (RFC 2407 4.6.3) and Dead Peer Detection (RFC 3706).

use super::wire_enum::wire_enum;

wire_enum! {
    /// A Notify Message Type.
    pub enum NotifyType: u16 {
        InvalidPayloadType = 1 => "INVALID-PAYLOAD-TYPE",
        DoiNotSupported = 2 => "DOI-NOT-SUPPORTED",
        SituationNotSupported = 3 => "SITUATION-NOT-SUPPORTED",
        InvalidCookie = 4 => "INVALID-COOKIE",
        InvalidMajorVersion = 5 => "INVALID-MAJOR-VERSION",
        InvalidMinorVersion = 6 => "INVALID-MINOR-VERSION",
        InvalidExchangeType = 7 => "INVALID-EXCHANGE-TYPE",
        InvalidFlags = 8 => "INVALID-FLAGS",
        InvalidMessageId = 9 => "INVALID-MESSAGE-ID",
        InvalidProtocolId = 10 => "INVALID-PROTOCOL-ID",
        InvalidSpi = 11 => "INVALID-SPI",
        InvalidTransformId = 12 => "INVALID-TRANSFORM-ID",
        AttributesNotSupported = 13 => "ATTRIBUTES-NOT-SUPPORTED",
        NoProposalChosen = 14 => "NO-PROPOSAL-CHOSEN",
        BadProposalSyntax = 15 => "BAD-PROPOSAL-SYNTAX",
        PayloadMalformed = 16 => "PAYLOAD-MALFORMED",
        InvalidKeyInformation = 17 => "INVALID-KEY-INFORMATION",
        InvalidIdInformation = 18 => "INVALID-ID-INFORMATION",
        InvalidCertEncoding = 19 => "INVALID-CERT-ENCODING",
        InvalidCertificate = 20 => "INVALID-CERTIFICATE",
        CertTypeUnsupported = 21 => "CERT-TYPE-UNSUPPORTED",
        InvalidCertAuthority = 22 => "INVALID-CERT-AUTHORITY",
        InvalidHashInformation = 23 => "INVALID-HASH-INFORMATION",
        AuthenticationFailed = 24 => "AUTHENTICATION-FAILED",
        InvalidSignature = 25 => "INVALID-SIGNATURE",
        AddressNotification = 26 => "ADDRESS-NOTIFICATION",
        NotifySaLifetime = 27 => "NOTIFY-SA-LIFETIME",
        CertificateUnavailable = 28 => "CERTIFICATE-UNAVAILABLE",
        UnsupportedExchangeType = 29 => "UNSUPPORTED-EXCHANGE-TYPE",
        UnequalPayloadLengths = 30 => "UNEQUAL-PAYLOAD-LENGTHS",
        Connected = 16384 => "CONNECTED",
        ResponderLifetime = 24576 => "RESPONDER-LIFETIME",
        ReplayStatus = 24577 => "REPLAY-STATUS",
        InitialContact = 24578 => "INITIAL-CONTACT",
        DpdRUThere = 36136 => "R-U-THERE",
        DpdRUThereAck = 36137 => "R-U-THERE-ACK",
    }
}

impl NotifyType {
    /// Values below 8192 report errors (RFC 2408 3.14.1); the rest are status.
    pub fn is_error(self) -> bool {
        self.value() < 8192
    }
}
