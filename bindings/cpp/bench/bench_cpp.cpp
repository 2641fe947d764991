// Tokens per second of the C++ drop-in (ZegoServerAssistant::GenerateToken04, key
// schedule per call, GCM) and of a reused zego_token::ServerSecret (GCM and CBC), on one
// thread, against ZEGO's published figure for its C++ generator (~59,000 CBC tokens/s)
// and, in the same run, a plain C++ implementation of the official GCM algorithm when
// it is built (ZEGO_BENCH_BASELINE, OpenSSL).
//
// Usage: bench_cpp [seconds per measurement, default 1]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "zego_server_assistant.hpp"

#ifdef ZEGO_BENCH_BASELINE
#include "baseline_official.hpp"
#endif

using Clock = std::chrono::steady_clock;

static volatile size_t sink;

static double rate(const char *name, double seconds, const std::function<size_t()> &once) {
    // Warm up, then count calls until the time is up (checked every 256 calls).
    for (int i = 0; i < 1000; i++) sink = sink + once();
    size_t n = 0;
    auto start = Clock::now();
    double elapsed = 0;
    do {
        for (int i = 0; i < 256; i++) sink = sink + once();
        n += 256;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds);
    double r = n / elapsed;
    std::printf("%-44s %12.0f tokens/s  (%7.0f ns/token)\n", name, r, 1e9 / r);
    return r;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
    const std::string secret = "fa94dd0f974cf2e293728a526b028271";
    const double published = 59000.0;  // ZEGO's published C++ figure, CBC tokens/s

    double drop_in = rate("drop-in GenerateToken04 (GCM)", seconds, [&] {
        return ZEGO::SERVER_ASSISTANT::ZegoServerAssistant::GenerateToken04(1234567890, "user1", secret, 3600, "")
            .token.size();
    });
    const zego_token::ServerSecret s(secret);
    double reused = rate("reused ServerSecret::generate (GCM)", seconds,
                         [&] { return s.generate(1234567890, "user1", 3600).token.size(); });
    double cbc = rate("reused ServerSecret::generate (CBC)", seconds, [&] {
        return s.generate(1234567890, "user1", 3600, {}, zego_token::Mode::Cbc).token.size();
    });
#ifdef ZEGO_BENCH_BASELINE
    // The baseline's tokens are real tokens: the core verifies one.
    s.verify(baseline::GenerateToken04(1234567890, "user1", secret, 3600, ""),
             zego_token::Validation(1234567890).user_id("user1"));
    double plain = rate("plain C++ official GCM algorithm (OpenSSL)", seconds,
                        [&] { return baseline::GenerateToken04(1234567890, "user1", secret, 3600, "").size(); });
    std::printf("ratio vs plain C++ (same run): drop-in %.2fx, reused GCM %.2fx, reused CBC %.2fx\n",
                drop_in / plain, reused / plain, cbc / plain);
#endif
    std::printf("ratio vs ZEGO's published C++ figure (%.0f CBC tokens/s): drop-in %.1fx, reused GCM %.1fx, "
                "reused CBC %.1fx\n",
                published, drop_in / published, reused / published, cbc / published);
    return 0;
}
