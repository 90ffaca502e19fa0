//! Elliptic-curve Diffie-Hellman over the random ECP groups of RFC 5903 (groups 19, 20
//! and 21). The IKE encoding is that of RFC 5903 section 7 as corrected by its erratum
//! and RFC 6989: the KE payload carries x | y, each coordinate left-padded to the field
//! size, without the 0x04 prefix of SEC 1; the shared secret g^ir is the x coordinate of
//! the product alone, padded the same way. A peer's point must lie on the curve and not
//! be the point at infinity (RFC 6989 section 2.3); the curves have cofactor 1, so that
//! is all the validation they need.

use super::rng::Rng;
use super::{CryptoError, Secret};
use common::alg::dh::Curve;
use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey, EcPoint, PointConversionForm};
use openssl::nid::Nid;
use openssl::pkey::Private;

/// How many draws [`generate`] makes before giving up: a draw is rejected only when it
/// is zero or not below the group order, which for these curves happens with
/// probability below 2^-32 per draw.
const MAX_DRAWS: usize = 16;

/// Our half of one ECDH exchange: the private scalar and x | y of its public point.
pub(super) struct EcpKey {
    curve: Curve,
    key: EcKey<Private>,
    public: Vec<u8>,
}

fn group(curve: Curve) -> Result<EcGroup, CryptoError> {
    let nid = match curve {
        Curve::P256 => Nid::X9_62_PRIME256V1,
        Curve::P384 => Nid::SECP384R1,
        Curve::P521 => Nid::SECP521R1,
    };
    Ok(EcGroup::from_curve_name(nid)?)
}

/// A fresh key: a scalar drawn from `rng` (the field's bits, rejecting zero and values
/// not below the order).
pub(super) fn generate(curve: Curve, rng: &mut dyn Rng) -> Result<EcpKey, CryptoError> {
    let bits = usize::from(curve.field_bits());
    let mut d = Secret::new(vec![0u8; curve.coordinate_bytes()]);
    for _ in 0..MAX_DRAWS {
        rng.fill(d.as_mut_bytes())?;
        let excess = d.len() * 8 - bits;
        if let Some(top) = d.as_mut_bytes().first_mut() {
            *top &= 0xff >> excess;
        }
        match from_private(curve, d.as_bytes()) {
            Err(CryptoError::PublicValueRange) => continue,
            other => return other,
        }
    }
    Err(CryptoError::Random(format!(
        "no usable {} scalar in {MAX_DRAWS} draws",
        curve.sec_name()
    )))
}

/// The key for a given private scalar (big-endian); it must satisfy 0 < d < n.
pub(super) fn from_private(curve: Curve, private: &[u8]) -> Result<EcpKey, CryptoError> {
    let group = group(curve)?;
    let mut ctx = BigNumContext::new()?;
    let mut d = BigNum::from_slice(private)?;
    let mut order = BigNum::new()?;
    group.order(&mut order, &mut ctx)?;
    if d.num_bits() == 0 || d >= order {
        d.clear();
        return Err(CryptoError::PublicValueRange);
    }
    let mut point = EcPoint::new(&group)?;
    point.mul_generator2(&group, &d, &mut ctx)?;
    let key = EcKey::from_private_components(&group, &d, &point);
    d.clear();
    let key = key?;
    let public = encode(&group, &point, curve, &mut ctx)?;
    Ok(EcpKey { curve, key, public })
}

/// x | y of a point, each padded to the field size.
fn encode(
    group: &EcGroup,
    point: &EcPoint,
    curve: Curve,
    ctx: &mut BigNumContext,
) -> Result<Vec<u8>, CryptoError> {
    let sec1 = point.to_bytes(group, PointConversionForm::UNCOMPRESSED, ctx)?;
    // SEC 1 uncompressed form: 0x04, then x and y already padded to the field size.
    match sec1.split_first() {
        Some((4, xy)) if xy.len() == 2 * curve.coordinate_bytes() => Ok(xy.to_vec()),
        _ => Err(CryptoError::OpenSsl(format!(
            "unexpected {} point encoding of {} bytes",
            curve.sec_name(),
            sec1.len()
        ))),
    }
}

/// The peer's point from its KE data: exactly x | y, on the curve, not at infinity.
fn decode(group: &EcGroup, curve: Curve, xy: &[u8]) -> Result<EcPoint, CryptoError> {
    let expected = 2 * curve.coordinate_bytes();
    if xy.len() != expected {
        return Err(CryptoError::PublicValueLength {
            expected,
            found: xy.len(),
        });
    }
    let mut ctx = BigNumContext::new()?;
    let mut sec1 = Vec::with_capacity(1 + xy.len());
    sec1.push(4);
    sec1.extend_from_slice(xy);
    // oct2point refuses coordinates not below the field prime and points off the curve;
    // both are the same refusal to us.
    let point =
        EcPoint::from_bytes(group, &sec1, &mut ctx).map_err(|_| CryptoError::InvalidCurvePoint)?;
    if point.is_infinity(group) || !point.is_on_curve(group, &mut ctx)? {
        return Err(CryptoError::InvalidCurvePoint);
    }
    Ok(point)
}

/// Checks a peer's KE data for `curve`.
pub(super) fn validate_public(curve: Curve, xy: &[u8]) -> Result<(), CryptoError> {
    decode(&group(curve)?, curve, xy).map(|_| ())
}

impl EcpKey {
    pub(super) fn public_value(&self) -> &[u8] {
        &self.public
    }

    /// The x coordinate of d * peer, padded to the field size.
    pub(super) fn shared_secret(&self, peer: &[u8]) -> Result<Secret, CryptoError> {
        let group = group(self.curve)?;
        let peer = decode(&group, self.curve, peer)?;
        let mut ctx = BigNumContext::new()?;
        let mut product = EcPoint::new(&group)?;
        product.mul2(&group, &peer, self.key.private_key(), &mut ctx)?;
        if product.is_infinity(&group) {
            return Err(CryptoError::InvalidCurvePoint);
        }
        let mut x = BigNum::new()?;
        let mut y = BigNum::new()?;
        product.affine_coordinates(&group, &mut x, &mut y, &mut ctx)?;
        let len = self.curve.coordinate_bytes();
        let padded = x.to_vec_padded(len as i32);
        x.clear();
        y.clear();
        Ok(Secret::new(padded?))
    }
}
