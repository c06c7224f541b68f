//! The fuzz bodies over the seeds and many mutations of them, as a plain
//! test (the fallback of `fuzz/smoke.sh` when cargo-fuzz cannot run).
//! `JSPKG_FUZZ_ITERS` sets the mutations per seed and target (default 300).

use jspkg_artifact_fuzz::{compose_body, inspect_body, seeds, split_body};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A mutation of `seed`: flipped bytes, an overwritten run, a cut, or an
/// inserted run, as libFuzzer's simple mutators do.
fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut v = seed.to_vec();
    if v.is_empty() {
        return vec![rng.next() as u8];
    }
    for _ in 0..=(rng.next() % 4) {
        let i = rng.next() as usize % v.len().max(1);
        match rng.next() % 5 {
            0 => v[i] ^= 1 << (rng.next() % 8),
            1 => v[i] = rng.next() as u8,
            2 => v.truncate(i),
            3 => {
                let n = (rng.next() % 16) as usize;
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                v.splice(i..i, bytes);
            }
            _ => {
                let interesting = [0x00, 0x7f, 0x80, 0xff];
                v[i] = interesting[(rng.next() % 4) as usize];
            }
        }
        if v.is_empty() {
            break;
        }
    }
    v
}

fn run(body: fn(&[u8])) {
    let iters: usize = std::env::var("JSPKG_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for seed in seeds::all() {
        body(&seed);
        for _ in 0..iters {
            body(&mutate(&seed, &mut rng));
        }
    }
    body(&[]);
    body(b"\0asm");
}

#[test]
fn split_never_panics() {
    run(split_body);
}

#[test]
fn compose_never_panics() {
    run(compose_body);
}

#[test]
fn inspect_never_panics() {
    run(inspect_body);
}
