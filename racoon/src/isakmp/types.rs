//! The number spaces of the ISAKMP header and the generic payloads (RFC 2408 3.1, 3.4,
//! RFC 2407 4.4.1, RFC 3947 for NAT traversal and its draft numbers).

use super::wire_enum::wire_enum;

wire_enum! {
    /// "Next Payload" values (RFC 2408 3.1, mode-cfg draft, RFC 3947 and the NAT-T drafts).
    pub enum PayloadType: u8 {
        None = 0 => "NONE",
        Sa = 1 => "SA",
        Proposal = 2 => "P",
        Transform = 3 => "T",
        KeyExchange = 4 => "KE",
        Identification = 5 => "ID",
        Certificate = 6 => "CERT",
        CertificateRequest = 7 => "CR",
        Hash = 8 => "HASH",
        Signature = 9 => "SIG",
        Nonce = 10 => "NONCE",
        Notification = 11 => "N",
        Delete = 12 => "D",
        VendorId = 13 => "VID",
        /// draft-ietf-ipsec-isakmp-mode-cfg: XAuth and mode-config.
        Attribute = 14 => "ATTR",
        NatD = 20 => "NAT-D",
        NatOa = 21 => "NAT-OA",
        /// draft-ietf-ipsec-nat-t-ike-02/03, still sent by older peers.
        NatDDraft = 130 => "NAT-D (draft)",
        NatOaDraft = 131 => "NAT-OA (draft)",
    }
}

wire_enum! {
    /// Exchange types (RFC 2408 3.1, RFC 2409, mode-cfg draft).
    pub enum ExchangeType: u8 {
        None = 0 => "None",
        Base = 1 => "Base",
        /// Main mode.
        IdentityProtection = 2 => "Identity Protection",
        AuthOnly = 3 => "Authentication Only",
        Aggressive = 4 => "Aggressive",
        Informational = 5 => "Informational",
        /// Mode-config and XAuth.
        Transaction = 6 => "Transaction",
        Quick = 32 => "Quick",
        NewGroup = 33 => "New Group",
    }
}

wire_enum! {
    /// Protocol identifiers of proposals, notifications and deletes (RFC 2407 4.4.1).
    pub enum ProtocolId: u8 {
        Isakmp = 1 => "ISAKMP",
        Ah = 2 => "AH",
        Esp = 3 => "ESP",
        IpComp = 4 => "IPCOMP",
    }
}

wire_enum! {
    /// Identification types of the IPsec DOI (RFC 2407 4.6.2.1).
    pub enum IdType: u8 {
        Ipv4Addr = 1 => "IPV4_ADDR",
        Fqdn = 2 => "FQDN",
        UserFqdn = 3 => "USER_FQDN",
        Ipv4AddrSubnet = 4 => "IPV4_ADDR_SUBNET",
        Ipv6Addr = 5 => "IPV6_ADDR",
        Ipv6AddrSubnet = 6 => "IPV6_ADDR_SUBNET",
        Ipv4AddrRange = 7 => "IPV4_ADDR_RANGE",
        Ipv6AddrRange = 8 => "IPV6_ADDR_RANGE",
        DerAsn1Dn = 9 => "DER_ASN1_DN",
        DerAsn1Gn = 10 => "DER_ASN1_GN",
        KeyId = 11 => "KEY_ID",
    }
}

wire_enum! {
    /// Certificate encodings of CERT and CR payloads (RFC 2408 3.9).
    pub enum CertEncoding: u8 {
        None = 0 => "NONE",
        Pkcs7 = 1 => "PKCS #7 wrapped X.509 certificate",
        Pgp = 2 => "PGP Certificate",
        DnsSignedKey = 3 => "DNS Signed Key",
        X509Signature = 4 => "X.509 Certificate - Signature",
        X509KeyExchange = 5 => "X.509 Certificate - Key Exchange",
        Kerberos = 6 => "Kerberos Tokens",
        Crl = 7 => "Certificate Revocation List (CRL)",
        Arl = 8 => "Authority Revocation List (ARL)",
        Spki = 9 => "SPKI Certificate",
        X509Attribute = 10 => "X.509 Certificate - Attribute",
    }
}

wire_enum! {
    /// Message types of the attribute payload (mode-cfg draft 3.2).
    pub enum ConfigType: u8 {
        Request = 1 => "ISAKMP_CFG_REQUEST",
        Reply = 2 => "ISAKMP_CFG_REPLY",
        Set = 3 => "ISAKMP_CFG_SET",
        Ack = 4 => "ISAKMP_CFG_ACK",
    }
}

/// The IPsec DOI (RFC 2407), the only domain of interpretation racoon speaks.
pub const DOI_IPSEC: u32 = 1;

/// The IPsec DOI situation bit SIT_IDENTITY_ONLY (RFC 2407 4.2); the secrecy and
/// integrity situations carry labels nobody implements.
pub const SIT_IDENTITY_ONLY: u32 = 1;

/// The transform id of an ISAKMP proposal's transform: KEY_IKE (RFC 2407 4.4.2).
pub const KEY_IKE: u8 = 1;
