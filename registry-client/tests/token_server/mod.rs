//! A minimal registry token server (the Docker token auth flow): issues
//! ES256 JWTs for `GET /token?service=..&scope=repository:NAME:ACTIONS`
//! to clients presenting the right HTTP basic credentials, signed by a key
//! whose self-signed certificate (made with the `openssl` CLI) the registry
//! trusts (`auth.token.rootcertbundle`).

use base64::Engine as _;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct TokenServer {
    pub realm: String,
    pub cert: PathBuf,
}

pub const SERVICE: &str = "jspkg-test-registry";
pub const ISSUER: &str = "jspkg-test-issuer";

fn openssl(dir: &Path, args: &[&str]) {
    let st = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl CLI needed by the token-auth test");
    assert!(
        st.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&st.stderr)
    );
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl TokenServer {
    /// Starts the server in a thread (it lives as long as the test process).
    pub fn start(dir: &Path, user: &'static str, password: &'static str) -> Self {
        openssl(
            dir,
            &[
                "ecparam",
                "-name",
                "prime256v1",
                "-genkey",
                "-noout",
                "-out",
                "key.pem",
            ],
        );
        openssl(
            dir,
            &[
                "pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER", "-out",
                "key.p8",
            ],
        );
        openssl(
            dir,
            &[
                "req",
                "-x509",
                "-new",
                "-key",
                "key.pem",
                "-subj",
                "/CN=jspkg-test-token",
                "-days",
                "2",
                "-out",
                "cert.pem",
            ],
        );
        openssl(
            dir,
            &[
                "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der",
            ],
        );
        let pkcs8 = std::fs::read(dir.join("key.p8")).unwrap();
        let cert_der = std::fs::read(dir.join("cert.der")).unwrap();
        let rng = ring::rand::SystemRandom::new();
        let key = ring::signature::EcdsaKeyPair::from_pkcs8(
            &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &pkcs8,
            &rng,
        )
        .expect("ring reads the openssl key");
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let realm = format!("http://{}/token", listener.local_addr().unwrap());
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        );
        let x5c = base64::engine::general_purpose::STANDARD.encode(&cert_der);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
                let mut authorized = false;
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = h.split_once(':')
                        && name.eq_ignore_ascii_case("authorization")
                        && value.trim() == expected
                    {
                        authorized = true;
                    }
                }
                let (status, body) = if authorized {
                    let query = target.split_once('?').map(|q| q.1).unwrap_or("");
                    let access: Vec<serde_json::Value> = query
                        .split('&')
                        .filter_map(|kv| kv.strip_prefix("scope="))
                        .map(|s| {
                            s.replace("%3A", ":")
                                .replace("%2F", "/")
                                .replace("%2C", ",")
                        })
                        .filter_map(|s| {
                            let mut parts = s.splitn(3, ':');
                            let (t, n, a) = (parts.next()?, parts.next()?, parts.next()?);
                            Some(serde_json::json!({"type": t, "name": n,
                                "actions": a.split(',').collect::<Vec<_>>()}))
                        })
                        .collect();
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .unwrap()
                        .as_secs();
                    let header = serde_json::json!({"typ": "JWT", "alg": "ES256", "x5c": [x5c]});
                    let claims = serde_json::json!({
                        "iss": ISSUER, "sub": user, "aud": SERVICE,
                        "exp": now + 300, "nbf": now - 10, "iat": now,
                        "jti": format!("{now}-{}", rand_id()), "access": access,
                    });
                    let signing_input = format!(
                        "{}.{}",
                        b64(header.to_string().as_bytes()),
                        b64(claims.to_string().as_bytes())
                    );
                    let sig = key.sign(&rng, signing_input.as_bytes()).unwrap();
                    let token = format!("{signing_input}.{}", b64(sig.as_ref()));
                    (
                        "200 OK",
                        serde_json::json!({"token": token, "access_token": token, "expires_in": 300})
                            .to_string(),
                    )
                } else {
                    (
                        "401 Unauthorized",
                        r#"{"errors":[{"code":"UNAUTHORIZED"}]}"#.to_string(),
                    )
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Self {
            realm,
            cert: dir.join("cert.pem"),
        }
    }
}

fn rand_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}
