//! Token generation and decoding costs, with the bare cryptographic work as the
//! same-run baseline.
//!
//! Run: `cargo bench -p zego-token --bench token`. The figures that matter are ratios
//! within one run (the machine is shared): `compat/generate_token04` against
//! `baseline/keyschedule_seal_base64`, and `generate/gcm_basic` against 500 ns
//! (2,000,000 tokens per second on one core).

use std::hint::black_box;
use std::time::Duration;

use aes_gcm::{AeadInOut, Aes256Gcm, KeyInit};
use base64_simd::STANDARD;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zego_token::{
    CipherMode, Claims, GenerateOptions, RoomPayload, ServerSecret, Validation, demo,
};

fn claims_basic() -> Claims {
    Claims::new(demo::APP_ID, "user-42", Duration::from_secs(3600))
}

fn claims_privilege() -> Claims {
    let room = RoomPayload::new("room-1")
        .allow_publish()
        .stream("stream-1")
        .build()
        .expect("valid room payload");
    claims_basic().payload(room)
}

fn generate(c: &mut Criterion) {
    let secret = ServerSecret::new(demo::SECRET).expect("demo secret");
    let mut g = c.benchmark_group("generate");
    g.throughput(Throughput::Elements(1));
    for (name, claims, mode) in [
        ("gcm_basic", claims_basic(), CipherMode::Gcm),
        ("cbc_basic", claims_basic(), CipherMode::Cbc),
        ("gcm_privilege", claims_privilege(), CipherMode::Gcm),
        ("cbc_privilege", claims_privilege(), CipherMode::Cbc),
    ] {
        let options = GenerateOptions::default().mode(mode);
        if mode == CipherMode::Gcm && name == "gcm_basic" {
            // The everyday entry point.
            g.bench_function(name, |b| {
                b.iter(|| zego_token::generate(black_box(&secret), black_box(&claims)))
            });
        } else {
            g.bench_function(name, |b| {
                b.iter(|| {
                    zego_token::generate_with(black_box(&secret), black_box(&claims), &options)
                })
            });
        }
    }
    g.finish();
}

/// The official signature (key schedule per call) against the bare work it cannot avoid:
/// AES-256-GCM key schedule + sealing claims of the same length + base64.
fn compat_vs_baseline(c: &mut Criterion) {
    let mut g = c.benchmark_group("compat");
    g.throughput(Throughput::Elements(1));
    g.bench_function("generate_token04", |b| {
        b.iter(|| {
            zego_token::generate_token04(
                black_box(demo::APP_ID),
                black_box("user-42"),
                black_box(demo::SECRET),
                black_box(3600),
                black_box(""),
            )
        })
    });
    g.finish();

    // The claims our generator writes for the same inputs, to seal in the baseline.
    let secret = ServerSecret::new(demo::SECRET).expect("demo secret");
    let token = zego_token::generate(&secret, &claims_basic()).expect("token");
    let decoded = zego_token::decode(&token, &secret).expect("decodes");
    let plaintext = serde_json::to_vec(&decoded.claims).expect("claims serialize");

    let mut g = c.benchmark_group("baseline");
    g.throughput(Throughput::Elements(1));
    g.bench_function("keyschedule_seal_base64", |b| {
        let nonce = [7u8; 12];
        b.iter(|| {
            let key = black_box(demo::SECRET.as_bytes());
            let cipher = Aes256Gcm::new_from_slice(key).expect("32-byte key");
            let mut body = Vec::with_capacity(24 + plaintext.len() + 17);
            body.extend_from_slice(&[0u8; 24]);
            let start = body.len();
            body.extend_from_slice(black_box(&plaintext));
            let tag = cipher
                .encrypt_inout_detached((&nonce).into(), &[], (&mut body[start..]).into())
                .expect("seal");
            body.extend_from_slice(&tag);
            body.push(1);
            STANDARD.encode_to_string(&body)
        })
    });
    g.finish();
}

fn decode(c: &mut Criterion) {
    let secret = ServerSecret::new(demo::SECRET).expect("demo secret");
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Elements(1));
    for mode in [CipherMode::Gcm, CipherMode::Cbc] {
        let options = GenerateOptions::default().mode(mode);
        let token = zego_token::generate_with(&secret, &claims_privilege(), &options)
            .expect("token")
            .token;
        g.bench_function(mode.as_str(), |b| {
            b.iter(|| zego_token::decode(black_box(&token), &secret))
        });
        let v = Validation::new(demo::APP_ID)
            .user_id("user-42")
            .room_id("room-1");
        g.bench_function(format!("verify_{}", mode.as_str()), |b| {
            b.iter(|| zego_token::verify(black_box(&token), &secret, &v))
        });
    }
    g.bench_function("inspect_header", |b| {
        let token = zego_token::generate(&secret, &claims_basic()).expect("token");
        b.iter(|| zego_token::inspect(black_box(&token)))
    });
    g.finish();
}

/// ZEGO's client rules, as the service and every binding check them per minted token,
/// beside generating the same token.
fn client_rules(c: &mut Criterion) {
    let mut g = c.benchmark_group("sdk_rules");
    g.throughput(Throughput::Elements(1));
    for (name, claims) in [("basic", claims_basic()), ("privilege", claims_privilege())] {
        g.bench_function(name, |b| {
            b.iter(|| zego_token::sdk::check_claims_at(black_box(&claims), 1_700_000_000))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = generate, compat_vs_baseline, decode, client_rules
}
criterion_main!(benches);
