// crypto.subtle (WebCrypto's SubtleCrypto) and CryptoKey, on RustCrypto's
// crates (crypto_natives.rs): enough to verify a JWT (HS*, ES256, RS*).
//
//   digest          SHA-1, SHA-256, SHA-384, SHA-512
//   importKey       HMAC (raw, jwk); ECDSA P-256 public keys (raw, spki,
//                   jwk); RSASSA-PKCS1-v1_5 public keys (spki, jwk)
//   sign            HMAC
//   verify          HMAC, ECDSA P-256, RSASSA-PKCS1-v1_5
//   generateKey     HMAC
//   exportKey       raw and jwk of the keys above (jwk only for RSA)
//
// Everything else (private EC/RSA keys, encrypt/decrypt, derive*, wrap*,
// other curves and algorithms) rejects with a NotSupportedError. Every
// method returns a promise; errors are node's: DOMExceptions named
// NotSupportedError, SyntaxError, InvalidAccessError or DataError, and
// TypeErrors (ERR_MISSING_ARGS, ERR_INVALID_ARG_TYPE, ...) for arguments
// of the wrong kind. Evaluated at build time after web.js, with the natives
// and hooks; adds `subtle` to the prelude's `crypto` object.
(function (native, hooks) {
  "use strict";

  const define = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
  const tag = (Class, name) =>
    Object.defineProperty(Class.prototype, Symbol.toStringTag, { value: name, configurable: true });

  const withCode = (e, code) => {
    e.code = code;
    return e;
  };
  const domError = (name, message) => new DOMException(message, name);
  const ORDINALS = ["1st", "2nd", "3rd", "4th", "5th"];

  // The natives throw TypeErrors whose message starts with the DOMException
  // name to use ("DataError: Invalid keyData").
  function callNative(f, ...args) {
    try {
      return f(...args);
    } catch (e) {
      const m = /^(\w+Error): (.*)$/.exec(e && e.message);
      if (m !== null) throw domError(m[1], m[2]);
      throw e;
    }
  }

  function requireArgs(method, given, needed) {
    if (given < needed) {
      throw withCode(
        new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': ${needed} arguments required, but only ${given} present.`),
        "ERR_MISSING_ARGS",
      );
    }
  }

  // A BufferSource's bytes, copied (the standard copies them when called).
  function bufferSource(method, index, v) {
    if (v instanceof ArrayBuffer) return new Uint8Array(v.slice(0));
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
    throw withCode(
      new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': ${ORDINALS[index]} argument is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.`),
      "ERR_INVALID_ARG_TYPE",
    );
  }

  const toArrayBuffer = (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);

  // ------------------------------------------------------------ algorithms
  const HASHES = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"];
  const ALGORITHMS = ["HMAC", "ECDSA", "RSASSA-PKCS1-v1_5", ...HASHES];
  // Known to WebCrypto but not provided here: NotSupportedError with a
  // reason, rather than "Unrecognized algorithm name".
  const NOT_PROVIDED = ["RSA-PSS", "RSA-OAEP", "ECDH", "AES-CTR", "AES-CBC", "AES-GCM", "AES-KW", "HKDF", "PBKDF2", "Ed25519", "X25519"];

  // The standard's "normalize an algorithm": a name or a dictionary with
  // one; the name matched without regard to case.
  function algorithmName(algorithm) {
    const name = typeof algorithm === "string" ? algorithm : algorithm?.name;
    if (name === undefined) {
      throw withCode(
        new TypeError("Failed to normalize algorithm: 'name' is required in 'Algorithm'."),
        "ERR_MISSING_OPTION",
      );
    }
    const upper = String(name).toUpperCase();
    const known = ALGORITHMS.find((a) => a.toUpperCase() === upper);
    if (known !== undefined) return known;
    const other = NOT_PROVIDED.find((a) => a.toUpperCase() === upper);
    if (other !== undefined) throw domError("NotSupportedError", `${other} is not supported by this engine`);
    throw domError("NotSupportedError", "Unrecognized algorithm name");
  }

  function hashOf(algorithm, dictionary) {
    const hash = typeof algorithm === "object" && algorithm !== null ? algorithm.hash : undefined;
    if (hash === undefined) {
      throw withCode(
        new TypeError(`Failed to normalize algorithm: passed algorithm can not be converted to '${dictionary}' because 'hash' is required in '${dictionary}'.`),
        "ERR_MISSING_OPTION",
      );
    }
    const name = algorithmName(hash);
    if (!HASHES.includes(name)) throw domError("NotSupportedError", "Unrecognized algorithm name");
    return name;
  }

  function namedCurve(algorithm) {
    const curve = algorithm?.namedCurve;
    if (curve === undefined) {
      throw withCode(
        new TypeError("Failed to normalize algorithm: passed algorithm can not be converted to 'EcKeyImportParams' because 'namedCurve' is required in 'EcKeyImportParams'."),
        "ERR_MISSING_OPTION",
      );
    }
    if (String(curve) !== "P-256") {
      if (["P-384", "P-521"].includes(String(curve))) throw domError("NotSupportedError", `the curve ${curve} is not supported by this engine (only P-256)`);
      throw domError("NotSupportedError", "Unrecognized namedCurve");
    }
    return "P-256";
  }

  // ------------------------------------------------------------- CryptoKey
  const INTERNAL = Symbol("internal");
  let keyData; // (key) => its material: { secret } | { point } | { n, e }

  class CryptoKey {
    #type;
    #extractable;
    #algorithm;
    #usages;
    #material;

    constructor(key, init) {
      if (key !== INTERNAL) throw withCode(new TypeError("Illegal constructor"), "ERR_ILLEGAL_CONSTRUCTOR");
      this.#type = init.type;
      this.#extractable = init.extractable;
      this.#algorithm = init.algorithm;
      this.#usages = init.usages;
      this.#material = init.material;
    }

    static {
      keyData = (k) => k.#material;
    }

    get type() {
      return this.#type;
    }
    get extractable() {
      return this.#extractable;
    }
    get algorithm() {
      return this.#algorithm;
    }
    get usages() {
      return this.#usages;
    }
  }
  tag(CryptoKey, "CryptoKey");

  // The usages asked for (in their order, once each, as node keeps them),
  // if all are `allowed`.
  const USAGE_ORDER = ["encrypt", "decrypt", "sign", "verify", "deriveKey", "deriveBits", "wrapKey", "unwrapKey"];
  function usages(list, allowed, what) {
    const given = Array.from(list ?? [], String);
    for (const u of given) {
      if (!USAGE_ORDER.includes(u)) {
        throw withCode(
          new TypeError(`Failed to execute 'importKey' on 'SubtleCrypto': 5th argument value '${u}' is not a valid enum value of type KeyUsage.`),
          "ERR_INVALID_ARG_VALUE",
        );
      }
      if (!allowed.includes(u)) throw domError("SyntaxError", `Unsupported key usage for ${what} key`);
    }
    return [...new Set(given)];
  }

  // The material keeps its own copy of the algorithm's name and hash and of
  // the usages: an app may change the objects `algorithm` and `usages` give.
  const makeKey = (type, extractable, algorithm, keyUsages, material) =>
    new CryptoKey(INTERNAL, {
      type,
      extractable: Boolean(extractable),
      algorithm,
      usages: keyUsages,
      material: { ...material, name: algorithm.name, hash: algorithm.hash?.name, usages: [...keyUsages] },
    });

  // ------------------------------------------------------------------ JWK
  function base64urlDecode(s) {
    if (typeof s !== "string" || !/^[A-Za-z0-9_-]*$/.test(s)) throw domError("DataError", "Invalid keyData");
    const b64 = s.replace(/-/g, "+").replace(/_/g, "/");
    let binary;
    try {
      binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
    } catch {
      throw domError("DataError", "Invalid keyData");
    }
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }

  function base64urlEncode(bytes) {
    return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function checkJwk(jwk, kty, extractable, alg) {
    if (jwk === null || typeof jwk !== "object") {
      throw withCode(new TypeError("Failed to execute 'importKey' on 'SubtleCrypto': 2nd argument is not of type JsonWebKey."), "ERR_INVALID_ARG_TYPE");
    }
    if (jwk.kty !== kty) throw domError("DataError", 'Invalid JWK "kty" Parameter');
    if (jwk.use !== undefined && jwk.use !== "sig") throw domError("DataError", 'Invalid JWK "use" Parameter');
    if (jwk.ext === false && extractable) throw domError("DataError", 'JWK "ext" Parameter and extractable mismatch');
    if (jwk.alg !== undefined && alg !== undefined && jwk.alg !== alg) {
      throw domError("DataError", 'JWK "alg" does not match the requested algorithm');
    }
  }

  const JWK_HASH = { "SHA-1": "1", "SHA-256": "256", "SHA-384": "384", "SHA-512": "512" };

  // ------------------------------------------------------------ importKey
  function importHmac(format, data, algorithm, extractable, keyUsages) {
    const hash = hashOf(algorithm, "HmacImportParams");
    let secret;
    if (format === "raw") secret = data;
    else if (format === "jwk") {
      checkJwk(data, "oct", extractable, `HS${JWK_HASH[hash]}`);
      secret = base64urlDecode(data.k);
    } else throw domError("NotSupportedError", `Unable to import HMAC key with format ${format}`);
    if (secret.length === 0) throw domError("DataError", "Zero-length key is not supported");
    const list = usages(keyUsages, ["sign", "verify"], "an HMAC");
    if (list.length === 0) throw domError("SyntaxError", "Usages cannot be empty when importing a secret key.");
    let length = secret.length * 8;
    if (algorithm.length !== undefined) {
      const asked = Number(algorithm.length);
      if (asked > length || asked <= length - 8) throw domError("DataError", "Invalid key length");
      length = asked;
    }
    return makeKey("secret", extractable, { name: "HMAC", hash: { name: hash }, length }, list, { secret });
  }

  function importEcdsa(format, data, algorithm, extractable, keyUsages) {
    const curve = namedCurve(algorithm);
    let point;
    if (format === "raw" || format === "spki") point = callNative(native.cryptoEcImport, format, data);
    else if (format === "jwk") {
      checkJwk(data, "EC", extractable, "ES256");
      if (data.crv !== curve) throw domError("DataError", 'JWK "crv" does not match the requested algorithm');
      if (data.d !== undefined) throw domError("NotSupportedError", "private ECDSA keys are not supported by this engine (only verify)");
      const x = base64urlDecode(data.x);
      const y = base64urlDecode(data.y);
      if (x.length !== 32 || y.length !== 32) throw domError("DataError", "Invalid keyData");
      const raw = new Uint8Array(65);
      raw[0] = 4;
      raw.set(x, 1);
      raw.set(y, 33);
      point = callNative(native.cryptoEcImport, "raw", raw);
    } else {
      throw domError("NotSupportedError", "private ECDSA keys (pkcs8) are not supported by this engine (only verify)");
    }
    const list = usages(keyUsages, ["verify"], "a ECDSA");
    return makeKey("public", extractable, { name: "ECDSA", namedCurve: curve }, list, { point });
  }

  function importRsa(format, data, algorithm, extractable, keyUsages) {
    const hash = hashOf(algorithm, "RsaHashedImportParams");
    let n, e;
    if (format === "spki") [n, e] = callNative(native.cryptoRsaImport, data);
    else if (format === "jwk") {
      checkJwk(data, "RSA", extractable, `RS${JWK_HASH[hash]}`);
      if (data.d !== undefined) throw domError("NotSupportedError", "private RSA keys are not supported by this engine (only verify)");
      n = base64urlDecode(data.n);
      e = base64urlDecode(data.e);
    } else {
      throw domError("NotSupportedError", `Unable to import RSA key with format ${format} (this engine verifies with public keys only)`);
    }
    const modulusLength = callNative(native.cryptoRsaCheck, n, e);
    const list = usages(keyUsages, ["verify"], "a RSASSA-PKCS1-v1_5");
    const publicExponent = e.slice();
    return makeKey("public", extractable, { name: "RSASSA-PKCS1-v1_5", modulusLength, publicExponent, hash: { name: hash } }, list, { n, e });
  }

  const FORMATS = ["raw", "pkcs8", "spki", "jwk"];
  function keyFormat(method, format) {
    const f = String(format);
    if (!FORMATS.includes(f)) {
      throw withCode(
        new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': 1st argument value '${f}' is not a valid enum value of type KeyFormat.`),
        "ERR_INVALID_ARG_VALUE",
      );
    }
    return f;
  }

  function checkKey(method, index, key) {
    if (!(key instanceof CryptoKey)) {
      throw withCode(new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': ${ORDINALS[index]} argument is not of type CryptoKey.`), "ERR_INVALID_ARG_TYPE");
    }
  }

  // The key's material for `usage` with `algorithm`, or InvalidAccessError.
  function keyFor(name, key, usage) {
    const material = keyData(key);
    if (material.name !== name || !material.usages.includes(usage)) throw domError("InvalidAccessError", `Unable to use this key to ${usage}`);
    return material;
  }

  // -------------------------------------------------------- SubtleCrypto
  const notSupported = (what) => domError("NotSupportedError", `${what} is not supported by this engine`);

  class SubtleCrypto {
    constructor(key = undefined) {
      if (key !== INTERNAL) throw withCode(new TypeError("Illegal constructor"), "ERR_ILLEGAL_CONSTRUCTOR");
    }

    async digest(algorithm, data) {
      requireArgs("digest", arguments.length, 2);
      const name = algorithmName(algorithm);
      const bytes = bufferSource("digest", 1, data);
      if (!HASHES.includes(name)) throw domError("NotSupportedError", "Unrecognized algorithm name");
      return toArrayBuffer(callNative(native.cryptoDigest, name, bytes));
    }

    async importKey(format, keyData, algorithm, extractable, keyUsages) {
      requireArgs("importKey", arguments.length, 5);
      format = keyFormat("importKey", format);
      const data = format === "jwk" ? keyData : bufferSource("importKey", 1, keyData);
      const name = algorithmName(algorithm);
      if (name === "HMAC") return importHmac(format, data, algorithm, extractable, keyUsages);
      if (name === "ECDSA") return importEcdsa(format, data, algorithm, extractable, keyUsages);
      if (name === "RSASSA-PKCS1-v1_5") return importRsa(format, data, algorithm, extractable, keyUsages);
      throw domError("NotSupportedError", "Unrecognized algorithm name");
    }

    async exportKey(format, key) {
      requireArgs("exportKey", arguments.length, 2);
      format = keyFormat("exportKey", format);
      checkKey("exportKey", 1, key);
      if (!key.extractable) throw domError("InvalidAccessError", "key is not extractable");
      const material = keyData(key);
      const { name } = material;
      if (format === "raw" && name === "HMAC") return toArrayBuffer(material.secret);
      if (format === "raw" && name === "ECDSA") return toArrayBuffer(material.point);
      if (format !== "jwk") throw notSupported(`exporting a ${name} key as ${format}`);
      const jwk = { key_ops: [...material.usages], ext: true };
      if (name === "HMAC") {
        Object.assign(jwk, { kty: "oct", k: base64urlEncode(material.secret), alg: `HS${JWK_HASH[material.hash]}` });
      } else if (name === "ECDSA") {
        const p = material.point;
        Object.assign(jwk, { kty: "EC", crv: "P-256", x: base64urlEncode(p.subarray(1, 33)), y: base64urlEncode(p.subarray(33)) });
      } else {
        Object.assign(jwk, { kty: "RSA", n: base64urlEncode(material.n), e: base64urlEncode(material.e), alg: `RS${JWK_HASH[material.hash]}` });
      }
      return jwk;
    }

    async generateKey(algorithm, extractable, keyUsages) {
      requireArgs("generateKey", arguments.length, 3);
      const name = algorithmName(algorithm);
      if (name !== "HMAC") throw notSupported(`generating ${name} keys`);
      const hash = hashOf(algorithm, "HmacKeyGenParams");
      let length = algorithm.length;
      if (length === undefined) length = hash === "SHA-384" || hash === "SHA-512" ? 1024 : 512;
      length = Number(length);
      if (!Number.isInteger(length) || length <= 0 || length % 8 !== 0) {
        throw withCode(new TypeError(`The property 'algorithm.length' must be a multiple of 8. Received ${length}`), "ERR_INVALID_ARG_VALUE");
      }
      const list = usages(keyUsages, ["sign", "verify"], "an HMAC");
      if (list.length === 0) throw domError("SyntaxError", "Usages cannot be empty when creating a key.");
      const secret = crypto.getRandomValues(new Uint8Array(length / 8));
      return makeKey("secret", extractable, { name: "HMAC", length, hash: { name: hash } }, list, { secret });
    }

    async sign(algorithm, key, data) {
      requireArgs("sign", arguments.length, 3);
      const name = algorithmName(algorithm);
      if (name === "ECDSA") hashOf(algorithm, "EcdsaParams");
      checkKey("sign", 1, key);
      const bytes = bufferSource("sign", 2, data);
      if (name !== "HMAC") {
        keyFor(name, key, "sign");
        throw notSupported(`signing with ${name}`);
      }
      const material = keyFor(name, key, "sign");
      return toArrayBuffer(callNative(native.cryptoHmacSign, material.hash, material.secret, bytes));
    }

    async verify(algorithm, key, signature, data) {
      requireArgs("verify", arguments.length, 4);
      const name = algorithmName(algorithm);
      const hash = name === "ECDSA" ? hashOf(algorithm, "EcdsaParams") : undefined;
      checkKey("verify", 1, key);
      const sig = bufferSource("verify", 2, signature);
      const bytes = bufferSource("verify", 3, data);
      const material = keyFor(name, key, "verify");
      if (name === "HMAC") return callNative(native.cryptoHmacVerify, material.hash, material.secret, sig, bytes);
      if (name === "ECDSA") return callNative(native.cryptoEcdsaVerify, hash, material.point, sig, bytes);
      if (name === "RSASSA-PKCS1-v1_5") {
        return callNative(native.cryptoRsaVerify, material.hash, material.n, material.e, sig, bytes);
      }
      throw notSupported(`verifying with ${name}`);
    }

    async encrypt() {
      throw notSupported("crypto.subtle.encrypt");
    }
    async decrypt() {
      throw notSupported("crypto.subtle.decrypt");
    }
    async deriveBits() {
      throw notSupported("crypto.subtle.deriveBits");
    }
    async deriveKey() {
      throw notSupported("crypto.subtle.deriveKey");
    }
    async wrapKey() {
      throw notSupported("crypto.subtle.wrapKey");
    }
    async unwrapKey() {
      throw notSupported("crypto.subtle.unwrapKey");
    }
  }
  tag(SubtleCrypto, "SubtleCrypto");

  const subtle = new SubtleCrypto(INTERNAL);
  Object.defineProperty(globalThis.crypto, "subtle", { get: () => subtle, configurable: true, enumerable: true });
  define(globalThis, "SubtleCrypto", SubtleCrypto);
  define(globalThis, "CryptoKey", CryptoKey);
});
