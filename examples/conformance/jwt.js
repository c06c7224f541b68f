// crypto.subtle: JWTs signed by node's crypto (HS256/384/512, ES256,
// RS256/384/512; fixtures made by tests/support/make-jwt-fixtures.mjs)
// verified with keys imported as raw, jwk and spki; tampered tokens and
// wrong keys refused; digests of known vectors; HMAC sign, generateKey and
// exportKey; CryptoKey's fields; node's errors (DOMException names and
// TypeErrors), all through promises.
// args: abc

// BEGIN FIXTURES (tests/support/make-jwt-fixtures.mjs)
const FIXTURES = {
  "hmacSecret": "J3D6S6pS_Kk9XQwngFo-gfuPmIKYrVzJbivuBnCa0H0",
  "ecJwk": {
    "kty": "EC",
    "x": "0RLok29k6XHaAybsuD3oTaH3R-t5hJSIL39CR_P3B2A",
    "y": "T9i94Teh7W9nfE7xjCMjCeGNiWVwNCGXwKSKXIBH_Fw",
    "crv": "P-256"
  },
  "ecSpki": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE0RLok29k6XHaAybsuD3oTaH3R+t5hJSIL39CR/P3B2BP2L3hN6Htb2d8TvGMIyMJ4Y2JZXA0IZfApIpcgEf8XA==",
  "ecRaw": "BNES6JNvZOlx2gMm7Lg96E2h90freYSUiC9_Qkfz9wdgT9i94Teh7W9nfE7xjCMjCeGNiWVwNCGXwKSKXIBH_Fw",
  "rsaJwk": {
    "kty": "RSA",
    "n": "4b8kU5F6hiFyjb4RWBo7FO_sb5Korma50qCee5FjF3xoNDrxnRi1ojKY7djY2UQUmgHAvM6N_Ng8VB4IPxVegMh1SS7H7Ql_I4O5TQROgK7xVMLUPDN0xE3A9ZcUZnK5fdLaJazTunE1q0kjvAL7RTez3xKfrUYXrHEXek-6FEfSiQAGhS3XUxWZbNDieqO3FeJwDobRZkGBs4K94mh7qq4Z2oo0izPenrrgoH0FS4eFFpq1cSnSRpfr4GCblhHt3WaDU-yDtDUh2iiODWU5uyeBlz_3j47rOEJp9EB-TLIT2GhbMXK54Nc2HCh4hf0kFbLwnbnEV78ay0gvy-FqHQ",
    "e": "AQAB"
  },
  "rsaSpki": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA4b8kU5F6hiFyjb4RWBo7FO/sb5Korma50qCee5FjF3xoNDrxnRi1ojKY7djY2UQUmgHAvM6N/Ng8VB4IPxVegMh1SS7H7Ql/I4O5TQROgK7xVMLUPDN0xE3A9ZcUZnK5fdLaJazTunE1q0kjvAL7RTez3xKfrUYXrHEXek+6FEfSiQAGhS3XUxWZbNDieqO3FeJwDobRZkGBs4K94mh7qq4Z2oo0izPenrrgoH0FS4eFFpq1cSnSRpfr4GCblhHt3WaDU+yDtDUh2iiODWU5uyeBlz/3j47rOEJp9EB+TLIT2GhbMXK54Nc2HCh4hf0kFbLwnbnEV78ay0gvy+FqHQIDAQAB",
  "tokens": {
    "HS256": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImFsZ191c2VkIjoiSFMyNTYiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwic2NvcGUiOlsicmVhZCIsIndyaXRlIl19.IEctfQM5d0nLw-P3_9_Wd-quSDA0cSg2HK3nLfTyTwo",
    "HS384": "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImFsZ191c2VkIjoiSFMzODQiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwic2NvcGUiOlsicmVhZCIsIndyaXRlIl19._ZEeBGl23vI_8WsJkbyqFvH9wqga9iafgHWSMvWgXBpmUdVEoXI8dF1THi1IzNHl",
    "HS512": "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImFsZ191c2VkIjoiSFM1MTIiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwic2NvcGUiOlsicmVhZCIsIndyaXRlIl19.TfBXXXA4qBm0h-5-YEJfk12fUY30btblHty3u3zgejaANgCm6lVjWISo2iYFlbW2YOqfblx6nqsqK1drsi0bvQ",
    "ES256": "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImFsZ191c2VkIjoiRVMyNTYiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwic2NvcGUiOlsicmVhZCIsIndyaXRlIl19.th6ftJJYASkcqTRE1hMCqyBLTzSz70wpoDBciU_wYzEs-bgWLFdjbbHYRqZrkmFvXyZoj14G6eAdtX80D3picw",
    "RS256": "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImFsZ191c2VkIjoiUlMyNTYiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwic2NvcGUiOlsicmVhZCIsIndyaXRlIl19.b00kLYRKBaZTQiH0kYuuCLathkL90cIYmi1EQZALEcLzJLTiec1iwWFcmm7Do0PFWxU-unynnU0cpZtCx5Yue29v6nKtCEiTipEydxs3Hr1aIWXyNC1m9ZPi4S3j1DzLMWG5fOO_g6F2peSzRYRzvEZs8vf5uSRrRV_lSPD6nvBxuWEB1FSygX7q03ifLBujkUlBOfE23NgKN0S87q_OugeXCn8Hcar8mOf7-5rSh1Zv6dMnMEHXjYaE9jzKh4z_b1XMF0yjLkBWKsM7uRlR8nC9NdH_PxPd0Zn3_qv8cBzKHFJ112jsrjqhYyjBsnCvTkz40da9YfpFrNG3pG9-BA",
    "RS384": "eyJhbGciOiJSUzM4NCIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImFsZ191c2VkIjoiUlMzODQiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwic2NvcGUiOlsicmVhZCIsIndyaXRlIl19.peCSkzUsHQfWXFR1Ljz5crZE2xZ7olR4lkoQDTs0hfQHaf_Ew3XqMELWCuKJe8iO_gtCTKowoO_vK50EaDnGju97S-obhWzzinUwLRnMf9wSxBZFxRPRNL5j4pAmDGHk6U8YlapXgeVKqbFTmV08391jevnNApaQvlFMNFPsEyuDiVFvXSV7rSxxgU7NIv1snS1nA3Xjsdp1zglgeMmWlYYlY1vD6pR9gmML3X8l53_NN833JKVGu9gDV1rYyXc78mUJxSjKKhBo-k2UnhtIN0u6EDK_TpzQdq8oqOejWmkzhn-zkBFDaJQ1yR_QuYmfTsaB_vZxz-EyMzLuWPuoyw",
    "RS512": "eyJhbGciOiJSUzUxMiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImFsZ191c2VkIjoiUlM1MTIiLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwic2NvcGUiOlsicmVhZCIsIndyaXRlIl19.gPbDBzQBFlyl1Bs6z4xyYJKCfyKYKgJ5Y6-8lHDUBY0NNZf5mcSu620yo3PUOz4uVPLueBIBq7ipTKGQ1b51Kk6TphP-_7AovXQzj7R0LL6LTBR3yO4GvKI8KkNRKKQW5GM-pAqHeUtqItXjBGulMHktZaNWgSBS61BPlg-FKdvmFS3SjQMey11SvA5Vi-pTKKLExCECGgZACKk84LOz_uAtmXVs6XzcjSODdQR5pclPWqNiayRteHQ3_mPNBilsa_RQkTWSVCx7K8E6SiMcwKiw3S1l6C-l1zvHdxNH8sHNpX9lUwIlPPEgX9WQ_uqLm3MXP_cojgB9P_Epi-fkRA"
  }
};
// END FIXTURES

const subtle = crypto.subtle;
const enc = new TextEncoder();
const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const fromB64url = (s) => fromB64(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4));
const toB64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

const ALGS = {
  HS256: { name: "HMAC", hash: "SHA-256" },
  HS384: { name: "HMAC", hash: "SHA-384" },
  HS512: { name: "HMAC", hash: "SHA-512" },
  ES256: { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" },
  RS256: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  RS384: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-384" },
  RS512: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-512" },
};

// What a JWT library does: split, check the header's alg, verify the
// signature over "header.payload", decode the payload.
async function verifyJwt(token, key) {
  const [h, p, s] = token.split(".");
  const header = JSON.parse(new TextDecoder().decode(fromB64url(h)));
  const ok = await subtle.verify(ALGS[header.alg], key, fromB64url(s), enc.encode(`${h}.${p}`));
  return ok ? JSON.parse(new TextDecoder().decode(fromB64url(p))) : null;
}

function tamper(token) {
  const [h, p, s] = token.split(".");
  const claims = JSON.parse(new TextDecoder().decode(fromB64url(p)));
  claims.sub = "admin";
  return `${h}.${toB64url(enc.encode(JSON.stringify(claims)))}.${s}`;
}

function flipSignature(token) {
  const [h, p, s] = token.split(".");
  const sig = fromB64url(s);
  sig[sig.length - 1] ^= 1;
  return `${h}.${p}.${toB64url(sig)}`;
}

const describeKey = (k) =>
  `${k.type} extractable=${k.extractable} usages=${k.usages.join(",")} algorithm=${k.algorithm.name}` +
  (k.algorithm.hash ? ` hash=${k.algorithm.hash.name}` : "") +
  (k.algorithm.namedCurve ? ` curve=${k.algorithm.namedCurve}` : "") +
  (k.algorithm.length !== undefined ? ` length=${k.algorithm.length}` : "") +
  (k.algorithm.modulusLength !== undefined ? ` modulusLength=${k.algorithm.modulusLength} publicExponent=${hex(k.algorithm.publicExponent)}` : "");

async function attempt(label, f) {
  try {
    console.log(label, "->", await f());
  } catch (e) {
    console.log(label, "rejects", e.name, "|", e.message, "|", e.code, e instanceof DOMException);
  }
}

export async function main([text]) {
  const F = FIXTURES;
  // Digests of the argument and of known vectors.
  for (const alg of ["SHA-1", "SHA-256", "SHA-384", "SHA-512"]) {
    console.log(alg, hex(await subtle.digest(alg, enc.encode(text))));
  }
  console.log("sha-256 of '':", hex(await subtle.digest({ name: "sha-256" }, new Uint8Array(0))));
  console.log("digest of a DataView and an ArrayBuffer:", hex(await subtle.digest("SHA-1", new DataView(enc.encode("abc").buffer))), hex(await subtle.digest("SHA-1", enc.encode("abc").buffer)));
  const million = new Uint8Array(1000000).fill(0x61);
  console.log("sha-256 of a million 'a':", hex(await subtle.digest("SHA-256", million)));
  const result = await subtle.digest("SHA-256", enc.encode("x"));
  console.log("result:", result instanceof ArrayBuffer, result.byteLength);

  // HMAC: RFC 4231 test case 2.
  const jefe = await subtle.importKey("raw", enc.encode("Jefe"), { name: "HMAC", hash: "SHA-256" }, true, ["sign", "verify"]);
  console.log("hmac key:", describeKey(jefe), Object.prototype.toString.call(jefe), jefe instanceof CryptoKey);
  console.log("algorithm and usages are the same objects each time:", jefe.algorithm === jefe.algorithm, jefe.usages === jefe.usages);
  const mac = await subtle.sign("HMAC", jefe, enc.encode("what do ya want for nothing?"));
  console.log("RFC 4231 #2:", hex(mac));
  console.log("verify own mac:", await subtle.verify("HMAC", jefe, mac, enc.encode("what do ya want for nothing?")));
  console.log("verify other data:", await subtle.verify("HMAC", jefe, mac, enc.encode("what do ya want for nothing!")));
  console.log("verify short mac:", await subtle.verify("HMAC", jefe, mac.slice(0, 16), enc.encode("what do ya want for nothing?")));
  const exported = await subtle.exportKey("jwk", jefe);
  console.log("export jwk:", exported.kty, exported.k, exported.alg, exported.ext, exported.key_ops.join(","));
  console.log("export raw:", new TextDecoder().decode(await subtle.exportKey("raw", jefe)));

  // The JWTs.
  const hmacKeys = {};
  for (const alg of ["HS256", "HS384", "HS512"]) {
    hmacKeys[alg] = await subtle.importKey("raw", fromB64url(F.hmacSecret), { name: "HMAC", hash: ALGS[alg].hash }, false, ["verify"]);
  }
  const hmacJwk = await subtle.importKey("jwk", { kty: "oct", k: F.hmacSecret, alg: "HS256" }, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const ecKeys = {
    jwk: await subtle.importKey("jwk", F.ecJwk, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]),
    spki: await subtle.importKey("spki", fromB64(F.ecSpki), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]),
    raw: await subtle.importKey("raw", fromB64url(F.ecRaw), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]),
  };
  const rsaKeys = {};
  for (const alg of ["RS256", "RS384", "RS512"]) {
    rsaKeys[alg] = {
      jwk: await subtle.importKey("jwk", F.rsaJwk, { name: "RSASSA-PKCS1-v1_5", hash: ALGS[alg].hash }, true, ["verify"]),
      spki: await subtle.importKey("spki", fromB64(F.rsaSpki), { name: "RSASSA-PKCS1-v1_5", hash: ALGS[alg].hash }, true, ["verify"]),
    };
  }
  console.log("ec key:", describeKey(ecKeys.spki));
  console.log("rsa key:", describeKey(rsaKeys.RS256.spki));
  const cases = [
    ["HS256", hmacKeys.HS256], ["HS256 (jwk key)", hmacJwk], ["HS384", hmacKeys.HS384], ["HS512", hmacKeys.HS512],
    ["ES256 (jwk key)", ecKeys.jwk], ["ES256 (spki key)", ecKeys.spki], ["ES256 (raw key)", ecKeys.raw],
    ["RS256 (jwk key)", rsaKeys.RS256.jwk], ["RS256 (spki key)", rsaKeys.RS256.spki],
    ["RS384", rsaKeys.RS384.spki], ["RS512", rsaKeys.RS512.jwk],
  ];
  for (const [label, key] of cases) {
    const token = F.tokens[label.split(" ")[0]];
    const claims = await verifyJwt(token, key);
    console.log(label, "valid:", claims !== null, claims && `${claims.sub} ${claims.name} ${claims.alg_used} exp=${claims.exp}`);
    console.log(label, "tampered payload:", await verifyJwt(tamper(token), key));
    console.log(label, "flipped signature bit:", await verifyJwt(flipSignature(token), key));
  }
  const otherSecret = await subtle.importKey("raw", enc.encode("not the secret"), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  console.log("HS256 with another secret:", await verifyJwt(F.tokens.HS256, otherSecret));
  console.log("RS256 token checked as RS512:", await subtle.verify(ALGS.RS512, rsaKeys.RS512.spki, fromB64url(F.tokens.RS256.split(".")[2]), enc.encode(F.tokens.RS256.split(".").slice(0, 2).join("."))));
  console.log("ES256 signature of the wrong length:", await subtle.verify(ALGS.ES256, ecKeys.raw, new Uint8Array(63), enc.encode("x")));
  const ecJwkOut = await subtle.exportKey("jwk", ecKeys.spki);
  console.log("ec export jwk:", ecJwkOut.kty, ecJwkOut.crv, ecJwkOut.x === F.ecJwk.x, ecJwkOut.y === F.ecJwk.y);
  console.log("ec export raw:", toB64url(new Uint8Array(await subtle.exportKey("raw", ecKeys.jwk))) === F.ecRaw);
  const rsaJwkOut = await subtle.exportKey("jwk", rsaKeys.RS256.spki);
  console.log("rsa export jwk:", rsaJwkOut.kty, rsaJwkOut.n === F.rsaJwk.n, rsaJwkOut.e, rsaJwkOut.alg);

  // generateKey (HMAC).
  const g = await subtle.generateKey({ name: "HMAC", hash: "SHA-512" }, true, ["sign", "verify"]);
  console.log("generated:", describeKey(g), (await subtle.exportKey("raw", g)).byteLength);
  const g2 = await subtle.generateKey({ name: "HMAC", hash: "SHA-256", length: 128 }, false, ["verify", "sign"]);
  const gmac = await subtle.sign("HMAC", g2, enc.encode(text));
  console.log("generated (128):", describeKey(g2), gmac.byteLength, await subtle.verify("HMAC", g2, gmac, enc.encode(text)));

  // Errors.
  const verifyOnly = hmacKeys.HS256;
  await attempt("digest('MD5')", () => subtle.digest("MD5", enc.encode("x")));
  await attempt("digest(string data)", () => subtle.digest("SHA-256", "abc"));
  await attempt("digest()", () => subtle.digest());
  await attempt("importKey HMAC without hash", () => subtle.importKey("raw", enc.encode("k"), { name: "HMAC" }, false, ["sign"]));
  await attempt("importKey HMAC usage encrypt", () => subtle.importKey("raw", enc.encode("k"), { name: "HMAC", hash: "SHA-256" }, false, ["encrypt"]));
  await attempt("importKey HMAC no usages", () => subtle.importKey("raw", enc.encode("k"), { name: "HMAC", hash: "SHA-256" }, false, []));
  await attempt("importKey HMAC empty key", () => subtle.importKey("raw", new Uint8Array(0), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]));
  await attempt("importKey unknown algorithm", () => subtle.importKey("raw", enc.encode("k"), { name: "FOO" }, false, ["sign"]));
  await attempt("importKey format 'pkcs9'", () => subtle.importKey("pkcs9", enc.encode("k"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]));
  await attempt("importKey string key", () => subtle.importKey("raw", "secret", { name: "HMAC", hash: "SHA-256" }, false, ["sign"]));
  await attempt("importKey jwk kty mismatch", () => subtle.importKey("jwk", { kty: "RSA" }, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]));
  await attempt("importKey jwk alg mismatch", () => subtle.importKey("jwk", { kty: "oct", k: F.hmacSecret, alg: "HS512" }, { name: "HMAC", hash: "SHA-256" }, true, ["verify"]));
  await attempt("importKey ec raw zeros", () => subtle.importKey("raw", new Uint8Array(65), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]));
  await attempt("importKey ec jwk short x", () => subtle.importKey("jwk", { kty: "EC", crv: "P-256", x: "AAAA", y: "AAAA" }, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]));
  await attempt("importKey ec spki garbage", () => subtle.importKey("spki", new Uint8Array(10), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]));
  await attempt("importKey ec public key for sign", () => subtle.importKey("spki", fromB64(F.ecSpki), { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]));
  await attempt("importKey rsa spki garbage", () => subtle.importKey("spki", new Uint8Array(10), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["verify"]));
  await attempt("importKey rsa jwk without e", () => subtle.importKey("jwk", { kty: "RSA", n: F.rsaJwk.n }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["verify"]));
  await attempt("sign with a verify-only key", () => subtle.sign("HMAC", verifyOnly, enc.encode("x")));
  await attempt("sign ECDSA without hash", () => subtle.sign("ECDSA", jefe, enc.encode("x")));
  await attempt("sign with not a key", () => subtle.sign("HMAC", {}, enc.encode("x")));
  await attempt("verify HMAC with an ECDSA key", () => subtle.verify("HMAC", ecKeys.raw, new Uint8Array(32), enc.encode("x")));
  await attempt("verify ECDSA without hash", () => subtle.verify({ name: "ECDSA" }, ecKeys.raw, new Uint8Array(64), enc.encode("x")));
  await attempt("exportKey of a non-extractable key", () => subtle.exportKey("raw", verifyOnly).then(() => "exported", (e) => `${e.message} ${e instanceof DOMException}`));
  await attempt("new CryptoKey()", () => new CryptoKey());
  return 0;
}
