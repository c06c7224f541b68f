//! The host side of `crypto.subtle` (`crypto.js`): digests, HMAC, ECDSA
//! P-256 and RSASSA-PKCS1-v1_5 verification, on RustCrypto's crates
//! (`sha1`, `sha2`, `hmac`, `p256`, `rsa`); no cryptography is written here.
//!
//! Stateless: a key lives in JavaScript as its bytes (an HMAC secret, an
//! uncompressed SEC1 point, an RSA modulus and exponent), checked here when
//! it is imported and parsed again for each use. Errors are thrown as
//! `TypeError`s whose message `crypto.js` turns into the DOMException the
//! standard names.

use crate::natives::bytes;
use hmac::{Hmac, Mac};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use rquickjs::{Ctx, Exception, Function, Object, Result, TypedArray};
use rsa::traits::PublicKeyParts;
use sha2::Digest;

/// The hash functions of WebCrypto (`SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`).
#[derive(Clone, Copy)]
enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn parse(ctx: &Ctx<'_>, name: &str) -> Result<Hash> {
        match name {
            "SHA-1" => Ok(Hash::Sha1),
            "SHA-256" => Ok(Hash::Sha256),
            "SHA-384" => Ok(Hash::Sha384),
            "SHA-512" => Ok(Hash::Sha512),
            _ => Err(Exception::throw_type(
                ctx,
                "NotSupportedError: Unrecognized algorithm name",
            )),
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Hash::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }
}

fn data_error(ctx: &Ctx<'_>) -> rquickjs::Error {
    Exception::throw_type(ctx, "DataError: Invalid keyData")
}

/// `digest(hash, data)`.
fn digest<'js>(
    ctx: Ctx<'js>,
    hash: String,
    data: TypedArray<'js, u8>,
) -> Result<TypedArray<'js, u8>> {
    let hash = Hash::parse(&ctx, &hash)?;
    let data = bytes(&ctx, &data)?;
    TypedArray::new(ctx, hash.digest(&data))
}

/// The HMAC of `data` under `key`.
fn hmac_tag(hash: Hash, key: &[u8], data: &[u8]) -> Vec<u8> {
    macro_rules! tag {
        ($d:ty) => {{
            let mut mac = Hmac::<$d>::new_from_slice(key).expect("HMAC takes keys of any length");
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }};
    }
    match hash {
        Hash::Sha1 => tag!(sha1::Sha1),
        Hash::Sha256 => tag!(sha2::Sha256),
        Hash::Sha384 => tag!(sha2::Sha384),
        Hash::Sha512 => tag!(sha2::Sha512),
    }
}

/// `hmacSign(hash, key, data)`: the tag.
fn hmac_sign<'js>(
    ctx: Ctx<'js>,
    hash: String,
    key: TypedArray<'js, u8>,
    data: TypedArray<'js, u8>,
) -> Result<TypedArray<'js, u8>> {
    let hash = Hash::parse(&ctx, &hash)?;
    let tag = hmac_tag(hash, &bytes(&ctx, &key)?, &bytes(&ctx, &data)?);
    TypedArray::new(ctx, tag)
}

/// `hmacVerify(hash, key, signature, data)`: compared in constant time
/// (`subtle`, through `hmac`'s `verify_slice`).
fn hmac_verify<'js>(
    ctx: Ctx<'js>,
    hash: String,
    key: TypedArray<'js, u8>,
    signature: TypedArray<'js, u8>,
    data: TypedArray<'js, u8>,
) -> Result<bool> {
    let hash = Hash::parse(&ctx, &hash)?;
    let (key, signature, data) = (
        bytes(&ctx, &key)?,
        bytes(&ctx, &signature)?,
        bytes(&ctx, &data)?,
    );
    macro_rules! verify {
        ($d:ty) => {{
            let mut mac = Hmac::<$d>::new_from_slice(&key).expect("HMAC takes keys of any length");
            mac.update(&data);
            mac.verify_slice(&signature).is_ok()
        }};
    }
    Ok(match hash {
        Hash::Sha1 => verify!(sha1::Sha1),
        Hash::Sha256 => verify!(sha2::Sha256),
        Hash::Sha384 => verify!(sha2::Sha384),
        Hash::Sha512 => verify!(sha2::Sha512),
    })
}

/// `ecImport(format, data)`: a P-256 public key given as `raw` (a SEC1
/// point, compressed or not) or `spki` (DER), as its uncompressed SEC1
/// point (65 bytes).
fn ec_import<'js>(
    ctx: Ctx<'js>,
    format: String,
    data: TypedArray<'js, u8>,
) -> Result<TypedArray<'js, u8>> {
    use p256::pkcs8::DecodePublicKey;
    let data = bytes(&ctx, &data)?;
    let key = match format.as_str() {
        "raw" => p256::PublicKey::from_sec1_bytes(&data).ok(),
        "spki" => p256::PublicKey::from_public_key_der(&data).ok(),
        _ => None,
    };
    let Some(key) = key else {
        return Err(data_error(&ctx));
    };
    TypedArray::new(ctx, key.to_encoded_point(false).as_bytes().to_vec())
}

/// `ecdsaVerify(hash, point, signature, data)`: ECDSA on P-256 with `hash`;
/// `signature` is r‖s (64 bytes), as WebCrypto has it. A signature of
/// another length is simply not valid.
fn ecdsa_verify<'js>(
    ctx: Ctx<'js>,
    hash: String,
    point: TypedArray<'js, u8>,
    signature: TypedArray<'js, u8>,
    data: TypedArray<'js, u8>,
) -> Result<bool> {
    let hash = Hash::parse(&ctx, &hash)?;
    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&bytes(&ctx, &point)?)
        .map_err(|_| data_error(&ctx))?;
    let Ok(signature) = p256::ecdsa::Signature::from_slice(&bytes(&ctx, &signature)?) else {
        return Ok(false);
    };
    let prehash = hash.digest(&bytes(&ctx, &data)?);
    Ok(key.verify_prehash(&prehash, &signature).is_ok())
}

/// The RSA public key of modulus `n` and exponent `e` (big-endian bytes).
fn rsa_key(ctx: &Ctx<'_>, n: &[u8], e: &[u8]) -> Result<rsa::RsaPublicKey> {
    rsa::RsaPublicKey::new(
        rsa::BigUint::from_bytes_be(n),
        rsa::BigUint::from_bytes_be(e),
    )
    .map_err(|_| data_error(ctx))
}

/// `rsaImport(spki)`: an RSA public key in DER SubjectPublicKeyInfo, as
/// `[n, e]` (big-endian bytes).
fn rsa_import<'js>(ctx: Ctx<'js>, spki: TypedArray<'js, u8>) -> Result<Vec<TypedArray<'js, u8>>> {
    use rsa::pkcs8::DecodePublicKey;
    let key = rsa::RsaPublicKey::from_public_key_der(&bytes(&ctx, &spki)?)
        .map_err(|_| data_error(&ctx))?;
    Ok(vec![
        TypedArray::new(ctx.clone(), key.n().to_bytes_be())?,
        TypedArray::new(ctx, key.e().to_bytes_be())?,
    ])
}

/// `rsaCheck(n, e)`: the modulus length in bits of a valid key (a JWK's
/// `n` and `e`), or a DataError.
fn rsa_check<'js>(ctx: Ctx<'js>, n: TypedArray<'js, u8>, e: TypedArray<'js, u8>) -> Result<u32> {
    let key = rsa_key(&ctx, &bytes(&ctx, &n)?, &bytes(&ctx, &e)?)?;
    Ok(key.n().bits() as u32)
}

/// `rsaVerify(hash, n, e, signature, data)`: RSASSA-PKCS1-v1_5.
fn rsa_verify<'js>(
    ctx: Ctx<'js>,
    hash: String,
    n: TypedArray<'js, u8>,
    e: TypedArray<'js, u8>,
    signature: TypedArray<'js, u8>,
    data: TypedArray<'js, u8>,
) -> Result<bool> {
    let hash = Hash::parse(&ctx, &hash)?;
    let key = rsa_key(&ctx, &bytes(&ctx, &n)?, &bytes(&ctx, &e)?)?;
    let scheme = match hash {
        Hash::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
        Hash::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        Hash::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        Hash::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
    };
    let hashed = hash.digest(&bytes(&ctx, &data)?);
    Ok(key
        .verify(scheme, &hashed, &bytes(&ctx, &signature)?)
        .is_ok())
}

/// Adds the `crypto*` functions to the natives object.
pub fn register<'js>(ctx: &Ctx<'js>, natives: &Object<'js>) -> Result<()> {
    natives.set("cryptoDigest", Function::new(ctx.clone(), digest)?)?;
    natives.set("cryptoHmacSign", Function::new(ctx.clone(), hmac_sign)?)?;
    natives.set("cryptoHmacVerify", Function::new(ctx.clone(), hmac_verify)?)?;
    natives.set("cryptoEcImport", Function::new(ctx.clone(), ec_import)?)?;
    natives.set(
        "cryptoEcdsaVerify",
        Function::new(ctx.clone(), ecdsa_verify)?,
    )?;
    natives.set("cryptoRsaImport", Function::new(ctx.clone(), rsa_import)?)?;
    natives.set("cryptoRsaCheck", Function::new(ctx.clone(), rsa_check)?)?;
    natives.set("cryptoRsaVerify", Function::new(ctx.clone(), rsa_verify)?)?;
    Ok(())
}
