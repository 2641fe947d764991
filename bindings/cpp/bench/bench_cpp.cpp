// Tokens per second of the C++ drop-in (ZegoServerAssistant::GenerateToken04, key
// schedule per call, GCM) and of a reused zego_token::ServerSecret (GCM and CBC), on one
// thread, against ZEGO's published figure for its C++ generator (~59,000 CBC tokens/s)
// and, in the same run, a plain C++ implementation of the official GCM algorithm when
// it is built (ZEGO_BENCH_BASELINE, OpenSSL).
//
// Usage: bench_cpp [seconds per measurement, default 1]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "zego_server_assistant.hpp"

#ifdef ZEGO_BENCH_BASELINE
#include "baseline_official.hpp"
#endif

using Clock = std::chrono::steady_clock;

static volatile size_t sink;

struct Measure {
    const char *name;
    std::function<size_t()> once;
    std::vector<double> rates;
};

// One round of one measurement: calls counted until `seconds` are up (checked every
// 256 calls), after a warm-up.
static double round_rate(const Measure &m, double seconds) {
    for (int i = 0; i < 200; i++) sink = sink + m.once();
    size_t n = 0;
    auto start = Clock::now();
    double elapsed = 0;
    do {
        for (int i = 0; i < 256; i++) sink = sink + m.once();
        n += 256;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds);
    return n / elapsed;
}

static double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

int main(int argc, char **argv) {
    // The machine is shared and noisy: the measurements run interleaved, in `rounds`
    // rounds of `seconds / rounds` each, and each reports its median round.
    double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
    const int rounds = 5;
    const std::string secret = "fa94dd0f974cf2e293728a526b028271";
    const double published = 59000.0;  // ZEGO's published C++ figure, CBC tokens/s
    const zego_token::ServerSecret s(secret);

    std::vector<Measure> ms;
    ms.push_back({"drop-in GenerateToken04 (GCM)", [&] {
                      return ZEGO::SERVER_ASSISTANT::ZegoServerAssistant::GenerateToken04(1234567890, "user1", secret,
                                                                                          3600, "")
                          .token.size();
                  }, {}});
    ms.push_back({"reused ServerSecret::generate (GCM)", [&] { return s.generate(1234567890, "user1", 3600).token.size(); }, {}});
    ms.push_back({"reused ServerSecret::generate (CBC)", [&] {
                      return s.generate(1234567890, "user1", 3600, {}, zego_token::Mode::Cbc).token.size();
                  }, {}});
#ifdef ZEGO_BENCH_BASELINE
    // The baseline's tokens are real tokens: the core verifies one.
    s.verify(baseline::GenerateToken04(1234567890, "user1", secret, 3600, ""),
             zego_token::Validation(1234567890).user_id("user1"));
    ms.push_back({"plain C++ official GCM algorithm (OpenSSL)",
                  [&] { return baseline::GenerateToken04(1234567890, "user1", secret, 3600, "").size(); }, {}});
#endif
    for (int r = 0; r < rounds; r++)
        for (auto &m : ms) m.rates.push_back(round_rate(m, seconds / rounds));
    std::vector<double> med;
    for (auto &m : ms) {
        med.push_back(median(m.rates));
        std::printf("%-44s %12.0f tokens/s  (%7.0f ns/token, median of %d rounds)\n", m.name, med.back(),
                    1e9 / med.back(), rounds);
    }
#ifdef ZEGO_BENCH_BASELINE
    std::printf("ratio vs plain C++ (same run): drop-in %.2fx, reused GCM %.2fx, reused CBC %.2fx\n", med[0] / med[3],
                med[1] / med[3], med[2] / med[3]);
#endif
    std::printf("ratio vs ZEGO's published C++ figure (%.0f CBC tokens/s): drop-in %.1fx, reused GCM %.1fx, "
                "reused CBC %.1fx\n",
                published, med[0] / published, med[1] / published, med[2] / published);
    return 0;
}
