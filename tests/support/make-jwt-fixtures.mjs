// Makes the fixtures of examples/conformance/jwt.js with node's crypto: an
// HMAC secret, a P-256 and a 2048-bit RSA key pair (public halves only are
// kept), and JWTs signed with them (HS256/384/512, ES256, RS256/384/512).
// Rewrites the block between the FIXTURES markers of that file; run once,
// its output is committed:
//
//   node tests/support/make-jwt-fixtures.mjs
import { generateKeyPairSync, createSign, createHmac, randomBytes, sign as oneShotSign } from "node:crypto";
import { readFileSync, writeFileSync, renameSync } from "node:fs";

const b64url = (buf) => Buffer.from(buf).toString("base64url");
const now = 1767225600; // 2026-01-01T00:00:00Z, fixed so the payloads are stable
const payload = (alg) => ({ sub: "user-42", name: "Ada Lovelace", alg_used: alg, iat: now, exp: now + 3600, scope: ["read", "write"] });
const signingInput = (alg) => `${b64url(JSON.stringify({ alg, typ: "JWT" }))}.${b64url(JSON.stringify(payload(alg)))}`;

const secret = randomBytes(32);
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 65537 });

const tokens = {};
for (const [alg, hash] of [["HS256", "sha256"], ["HS384", "sha384"], ["HS512", "sha512"]]) {
  const input = signingInput(alg);
  tokens[alg] = `${input}.${b64url(createHmac(hash, secret).update(input).digest())}`;
}
{
  const input = signingInput("ES256");
  // JWS wants r‖s (IEEE P1363), as WebCrypto does.
  const sig = oneShotSign("sha256", Buffer.from(input), { key: ec.privateKey, dsaEncoding: "ieee-p1363" });
  tokens.ES256 = `${input}.${b64url(sig)}`;
}
for (const [alg, hash] of [["RS256", "sha256"], ["RS384", "sha384"], ["RS512", "sha512"]]) {
  const input = signingInput(alg);
  tokens[alg] = `${input}.${b64url(createSign(hash).update(input).sign(rsa.privateKey))}`;
}

const ecJwk = ec.publicKey.export({ format: "jwk" });
const fixtures = {
  hmacSecret: b64url(secret),
  ecJwk,
  ecSpki: ec.publicKey.export({ format: "der", type: "spki" }).toString("base64"),
  ecRaw: b64url(Buffer.concat([Buffer.from([4]), Buffer.from(ecJwk.x, "base64url"), Buffer.from(ecJwk.y, "base64url")])),
  rsaJwk: rsa.publicKey.export({ format: "jwk" }),
  rsaSpki: rsa.publicKey.export({ format: "der", type: "spki" }).toString("base64"),
  tokens,
};

const file = new URL("../../examples/conformance/jwt.js", import.meta.url);
const source = readFileSync(file, "utf8");
const begin = "// BEGIN FIXTURES (tests/support/make-jwt-fixtures.mjs)\n";
const end = "// END FIXTURES\n";
const [head, rest] = source.split(begin);
const [, tail] = rest.split(end);
const block = `const FIXTURES = ${JSON.stringify(fixtures, null, 2)};\n`;
writeFileSync(new URL("jwt.js.tmp", file), head + begin + block + end + tail);
renameSync(new URL("jwt.js.tmp", file), file);
console.log("wrote", file.pathname);
