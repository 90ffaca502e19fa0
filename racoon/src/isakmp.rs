//! The ISAKMP message codec (RFC 2408) with the IPsec DOI attributes (RFC 2407).
