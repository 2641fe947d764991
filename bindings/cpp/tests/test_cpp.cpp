// CTest test of zego_server_assistant.hpp: every official vector (read from the core
// crate, decoded to every field), the official C++ sample's calls run unchanged, the
// official error codes, verify's refusals with their codes, RAII and threads.
//
// Usage: test_cpp PATH/TO/token04.json   -> prints "N passed, N failed"
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "zego_server_assistant.hpp"

using namespace ZEGO::SERVER_ASSISTANT;

static int passed = 0, failed = 0;
#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) {                                                                   \
            passed++;                                                                 \
        } else {                                                                      \
            failed++;                                                                 \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                             \
    } while (0)

// --- a small JSON reader, enough for the vector file ---------------------------------
struct Json {
    std::variant<std::nullptr_t, bool, long long, std::string, std::vector<Json>, std::map<std::string, Json>> v;
    const std::string &s() const { return std::get<std::string>(v); }
    long long i() const { return std::get<long long>(v); }
    const std::vector<Json> &a() const { return std::get<std::vector<Json>>(v); }
    const Json &operator[](const std::string &k) const { return std::get<std::map<std::string, Json>>(v).at(k); }
};

class Parser {
public:
    explicit Parser(const std::string &t) : t_(t) {}
    Json value() {
        ws();
        char c = t_.at(p_);
        if (c == '{') {
            p_++;
            std::map<std::string, Json> m;
            ws();
            if (t_[p_] == '}') { p_++; return Json{m}; }
            for (;;) {
                ws();
                std::string k = string();
                ws();
                expect(':');
                m.emplace(k, value());
                ws();
                if (t_[p_] == ',') { p_++; continue; }
                expect('}');
                return Json{m};
            }
        }
        if (c == '[') {
            p_++;
            std::vector<Json> a;
            ws();
            if (t_[p_] == ']') { p_++; return Json{a}; }
            for (;;) {
                a.push_back(value());
                ws();
                if (t_[p_] == ',') { p_++; continue; }
                expect(']');
                return Json{a};
            }
        }
        if (c == '"') return Json{string()};
        if (t_.compare(p_, 4, "null") == 0) { p_ += 4; return Json{nullptr}; }
        if (t_.compare(p_, 4, "true") == 0) { p_ += 4; return Json{true}; }
        if (t_.compare(p_, 5, "false") == 0) { p_ += 5; return Json{false}; }
        size_t end = 0;
        long long n = std::stoll(t_.substr(p_, 24), &end);
        p_ += end;
        return Json{n};
    }

private:
    void ws() { while (p_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[p_]))) p_++; }
    void expect(char c) {
        if (t_.at(p_) != c) throw std::runtime_error(std::string("JSON: expected ") + c);
        p_++;
    }
    unsigned hex4() {
        unsigned v = std::stoul(t_.substr(p_, 4), nullptr, 16);
        p_ += 4;
        return v;
    }
    static void utf8(std::string &out, unsigned cp) {
        if (cp < 0x80) out += static_cast<char>(cp);
        else if (cp < 0x800) { out += static_cast<char>(0xC0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
        else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    std::string string() {
        expect('"');
        std::string out;
        for (;;) {
            char c = t_.at(p_++);
            if (c == '"') return out;
            if (c != '\\') { out += c; continue; }
            char e = t_.at(p_++);
            switch (e) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case 'r': out += '\r'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xD800 && cp < 0xDC00 && t_.compare(p_, 2, "\\u") == 0) {
                        p_ += 2;
                        unsigned lo = hex4();
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    utf8(out, cp);
                    break;
                }
                default: out += e;
            }
        }
    }
    const std::string &t_;
    size_t p_ = 0;
};

static std::string hex(const std::vector<uint8_t> &b) {
    static const char *d = "0123456789abcdef";
    std::string s;
    for (uint8_t x : b) { s += d[x >> 4]; s += d[x & 15]; }
    return s;
}

static const std::string kSecret = "fa94dd0f974cf2e293728a526b028271";

// --- the official vectors --------------------------------------------------------------
static void test_vectors(const char *path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    std::string text = ss.str();
    Json root = Parser(text).value();
    CHECK(root.a().size() == 71);
    int checked = 0;
    for (const Json &v : root.a()) {
        std::string name = v["source"].s() + "/" + v["case"].s();
        try {
            zego_token::ServerSecret secret(v["secret"].s());
            zego_token::Decoded d = secret.decode(v["token"].s());
            bool ok = d.app_id == static_cast<uint32_t>(v["app_id"].i()) && d.user_id == v["user_id"].s() &&
                      d.nonce == v["nonce"].i() && d.ctime == v["ctime"].i() && d.expire == v["expire"].i() &&
                      d.header_expire == v["expire"].i() && d.payload == v["payload"].s() && hex(d.iv) == v["iv_hex"].s() &&
                      d.mode == (v["mode"].s() == "gcm" ? zego_token::Mode::Gcm : zego_token::Mode::Cbc) &&
                      d.expire - d.ctime == v["effective_time_in_seconds"].i();
            if (!ok) std::fprintf(stderr, "vector %s: decoded fields differ\n", name.c_str());
            CHECK(ok);
            bool legacy = false;
            for (const auto &w : d.warnings) legacy = legacy || (w.rule == "legacy_cbc" && w.product == "token");
            CHECK(legacy == (d.mode == zego_token::Mode::Cbc));
            zego_token::Header h = zego_token::inspect(v["token"].s());
            CHECK(h.expire == d.expire && h.mode == d.mode && h.iv == d.iv);
            // Valid at its creation time; expired once expire (plus leeway) has passed.
            zego_token::Validation at(d.app_id);
            at.user_id(d.user_id).at(d.ctime);
            secret.verify(v["token"].s(), at);
            try {
                at.at(d.expire + at.leeway_seconds());
                secret.verify(v["token"].s(), at);
                CHECK(!"an expired vector verified");
            } catch (const zego_token::Error &e) {
                CHECK(e.kind() == "expired" && e.zego_code() == 1002078);
            }
            checked++;
        } catch (const std::exception &e) {
            std::fprintf(stderr, "vector %s: %s\n", name.c_str(), e.what());
            CHECK(false);
        }
    }
    std::printf("official vectors: %d checked\n", checked);
    CHECK(checked == 71);
}

// --- the official C++ sample (token/c++/token04/sample/demo/main.cc), as written --------
// GeneratePayload builds the same JSON as the sample's rapidjson helper (room_id,
// privilege map, stream_id_list array), without rapidjson.
static std::string GeneratePayload(const std::string &roomID, const std::map<int, int> &privilege,
                                   const std::vector<std::string> &streamIDList) {
    std::string json = "{\"room_id\":\"" + roomID + "\",\"privilege\":{";
    bool first = true;
    for (auto member : privilege) {
        if (!first) json += ",";
        first = false;
        json += "\"" + std::to_string(member.first) + "\":" + std::to_string(member.second);
    }
    json += "},\"stream_id_list\":[";
    first = true;
    for (auto streamID : streamIDList) {
        if (!first) json += ",";
        first = false;
        json += "\"" + streamID + "\"";
    }
    return json + "]}";
}

static std::string Sample() {
    uint32_t appID = 1;
    std::string userID = "demo";
    std::string secret = "12345678900987654321123456789012";
    uint64_t effectiveTimeInSeconds = 3600;
    ZegoServerAssistant zegoServerAssistant;
    ZegoToken04Result result = zegoServerAssistant.GenerateToken04(appID, userID, secret, effectiveTimeInSeconds, "");
    printf("Sample:%s\n", result.token.c_str());
    printf("error code : %d\n", result.errorInfo.errorCode);
    CHECK(result.errorInfo.errorCode == success);
    return result.token;
}

static std::string SampleForRTCRoom() {
    uint32_t appID = 1;
    std::string roomID = "demo";
    std::string userID = "demo";
    std::string secret = "12345678900987654321123456789012";
    std::map<int, int> privilege{{kPrivilegeLogin, 1}, {kPrivilegePublish, 1}};
    uint64_t effectiveTimeInSeconds = 3600;
    std::vector<std::string> streamIDList{"sample", "sample2"};
    std::string payload = GeneratePayload(roomID, privilege, streamIDList);

    ZegoServerAssistant zegoServerAssistant;
    ZegoToken04Result result = zegoServerAssistant.GenerateToken04(appID, userID, secret, effectiveTimeInSeconds, payload);
    printf("Sample for rtc room:%s\n", result.token.c_str());
    printf("error code : %d\n", result.errorInfo.errorCode);
    CHECK(result.errorInfo.errorCode == success);
    return result.token;
}

static void test_drop_in_sample() {
    std::string basic = Sample();
    std::string room = SampleForRTCRoom();
    zego_token::ServerSecret secret("12345678900987654321123456789012");
    zego_token::Decoded d = secret.verify(basic, zego_token::Validation(1).user_id("demo"));
    CHECK(d.mode == zego_token::Mode::Gcm && d.expire - d.ctime == 3600 && d.payload.empty());
    zego_token::Validation v(1);
    v.user_id("demo").room_id("demo").stream_id("sample2");
    d = secret.verify(room, v);
    CHECK(d.room && d.room->can_login && d.room->can_publish && d.room->stream_ids.size() == 2);
    // The README's 4-argument form of the official call also compiles and works.
    ZegoToken04Result r = ZegoServerAssistant::GenerateToken04(1, "demo", kSecret, 3600);
    CHECK(r.errorInfo.errorCode == success && r.token.rfind("04", 0) == 0);
}

static void test_official_errors() {
    struct Case { uint32_t app; std::string user, secret; int64_t t; ErrorCode code; };
    const Case cases[] = {
        {0, "u", kSecret, 60, appIDInvalid},
        {0, "", "", 0, appIDInvalid},
        {1, "", kSecret, 60, userIDInvalid},
        {1, std::string(64, 'x'), kSecret, 60, userIDInvalid},
        {1, "\xc3\x28", kSecret, 60, userIDInvalid},
        {1, "u", "short", 60, secretInvalid},
        {1, "u", kSecret, 0, effectiveTimeInSecondsInvalid},
        {1, "u", kSecret, -7, effectiveTimeInSecondsInvalid},
    };
    for (const Case &c : cases) {
        ZegoToken04Result r = ZegoServerAssistant::GenerateToken04(c.app, c.user, c.secret, c.t, "");
        CHECK(r.errorInfo.errorCode == c.code);
        CHECK(r.token.empty());
        CHECK(!r.errorInfo.errorMessage.empty());
        CHECK(r.errorInfo.errorMessage.find(kSecret) == std::string::npos);
    }
    // Beyond the official codes: a payload too large for the 16-bit length field.
    ZegoToken04Result r = ZegoServerAssistant::GenerateToken04(1, "u", kSecret, 60, std::string(70000, 'p'));
    CHECK(r.errorInfo.errorCode == otherError && r.token.empty());
    // The secret is taken by its length: a NUL inside does not cut it short.
    std::string with_nul = kSecret;
    with_nul[5] = '\0';
    r = ZegoServerAssistant::GenerateToken04(1, "u", with_nul, 60, "");
    CHECK(r.errorInfo.errorCode == success);
}

template <class F>
static void expect_error(F f, const char *kind, uint32_t zego, uint32_t zim) {
    try {
        f();
        std::fprintf(stderr, "expected %s, got success\n", kind);
        CHECK(false);
    } catch (const zego_token::Error &e) {
        if (e.kind() != kind) std::fprintf(stderr, "expected %s, got %s: %s\n", kind, e.kind().c_str(), e.what());
        CHECK(e.kind() == kind && e.zego_code() == zego && e.zim_code() == zim);
        CHECK(!e.advice().empty() && std::string(e.what()).size() > 10);
        CHECK(std::string(e.what()).find(kSecret) == std::string::npos);
    }
}

static void test_idiomatic() {
    const zego_token::ServerSecret secret(kSecret);
    const int64_t now = 1700000000;
    std::string payload = zego_token::Room("room-1").allow_publish().stream("s1").stream("s-2").payload();
    CHECK(payload == "{\"room_id\":\"room-1\",\"privilege\":{\"1\":1,\"2\":1},\"stream_id_list\":[\"s1\",\"s-2\"]}");
    for (zego_token::Mode mode : {zego_token::Mode::Gcm, zego_token::Mode::Cbc}) {
        zego_token::Token t = secret.generate_at(now, 7, "alice", 3600, payload, mode);
        CHECK(t.mode == mode && t.ctime == now && t.expire == now + 3600 && t.token.rfind("04", 0) == 0);
        zego_token::Validation v(7);
        v.user_id("alice").room_id("room-1").stream_id("s-2").at(now + 10);
        zego_token::Decoded d = secret.verify(t.token, v);
        CHECK(d.nonce == t.nonce && d.mode == mode && d.room && d.room->room_id == "room-1");
        zego_token::Header h = zego_token::inspect(t.token);
        CHECK(h.mode == mode && h.expire == t.expire && h.iv.size() == (mode == zego_token::Mode::Gcm ? 12u : 16u));
    }
    zego_token::Token room = secret.generate_at(now, 7, "alice", 3600, payload);
    zego_token::Token basic = secret.generate_at(now, 7, "alice", 3600);
    auto verify = [&](const std::string &tok, zego_token::Validation v) { return [&secret, tok, v] { secret.verify(tok, v); }; };
    expect_error(verify(room.token, zego_token::Validation(8).at(now)), "app_id_mismatch", 1002076, 6000103);
    expect_error(verify(room.token, zego_token::Validation(7).user_id("bob").at(now)), "user_id_mismatch", 1002077, 6000103);
    expect_error(verify(room.token, zego_token::Validation(7).at(now + 7200)), "expired", 1002078, 6000106);
    expect_error(verify(room.token, zego_token::Validation(7).at(now - 3600)), "not_yet_valid", 0, 0);
    expect_error(verify(room.token, zego_token::Validation(7).room_id("room-2").at(now)), "room_mismatch", 1002033, 0);
    expect_error(verify(basic.token, zego_token::Validation(7).require_publish().at(now)), "privilege_missing", 1003072, 0);
    expect_error(verify(room.token, zego_token::Validation(7).stream_id("s3").at(now)), "stream_not_allowed", 1003072, 0);
    expect_error(verify("03" + room.token.substr(2), zego_token::Validation(7).at(now)), "wrong_version", 1002079, 6000107);
    expect_error(verify(room.token.substr(0, 20), zego_token::Validation(7).at(now)), "malformed", 1002075, 6000103);
    const zego_token::ServerSecret other(std::string(32, '0'));
    expect_error([&] { other.verify(room.token, zego_token::Validation(7).at(now)); }, "decrypt", 1002033, 6000103);
    expect_error([&] { zego_token::ServerSecret bad("short"); }, "invalid_input", 0, 0);
    expect_error([&] { secret.generate(0, "u", 60); }, "invalid_input", 0, 0);
    expect_error([&] { zego_token::Room("r").stream("no spaces").payload(); }, "invalid_input", 0, 0);
    try {
        secret.generate(7, "", 60);
        CHECK(false);
    } catch (const zego_token::Error &e) {
        CHECK(e.field() == "user_id" && e.official_code() == 3 && e.status() == ZEGO_TOKEN_STATUS_INVALID_INPUT);
    }
    // SDK-rule warnings, on the generated and the decoded token.
    zego_token::Token warned = secret.generate(7, "a b", 10);
    bool charset = false, ttl = false;
    for (const auto &w : warned.warnings) {
        charset = charset || (w.rule == "user_id_charset" && w.product == "rtc" && w.code == 1002006 && w.blocking);
        ttl = ttl || (w.rule == "ttl_too_short" && w.code == 6000108);
    }
    CHECK(charset && ttl);
    CHECK(secret.decode(warned.token).warnings.size() == warned.warnings.size());
    CHECK(basic.warnings.empty());
    expect_error([&] { zego_token::kit_token(warned.token, 7, "a b", "room-1", "A"); }, "invalid_input", 0, 0);
    // Kit tokens.
    std::string kit = zego_token::kit_token(basic.token, 7, "alice", "room-1", "Zo\xc3\xab D");
    size_t hash = kit.find('#');
    CHECK(hash == basic.token.size() && kit.compare(0, hash, basic.token) == 0);
    CHECK(zego_token::decode_kit_info(kit.substr(hash + 1)) ==
          "{\"userID\":\"alice\",\"roomID\":\"room-1\",\"userName\":\"Zo%C3%AB%20D\",\"appID\":7}");
    expect_error([] { zego_token::decode_kit_info("!!"); }, "malformed", 1002075, 6000103);
    CHECK(zego_token::version().find('.') != std::string::npos);
    // RAII: a moved-from secret is empty and destroying both is safe.
    zego_token::ServerSecret a(kSecret);
    zego_token::ServerSecret b(std::move(a));
    CHECK(b.handle() != nullptr && a.handle() == nullptr);
    expect_error([&] { a.generate(7, "u", 60); }, "invalid_argument", 0, 0);
}

static void test_threads() {
    const zego_token::ServerSecret secret(kSecret);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    std::vector<std::set<std::string>> seen(4);
    for (int t = 0; t < 4; t++) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; i++) {
                std::string user = "user-" + std::to_string(t) + "-" + std::to_string(i);
                try {
                    zego_token::Token tok = secret.generate(7, user, 3600);
                    if (secret.verify(tok.token, zego_token::Validation(7).user_id(user)).user_id != user) failures++;
                    seen[t].insert(tok.token);
                } catch (const std::exception &) {
                    failures++;
                }
            }
        });
    }
    for (auto &th : threads) th.join();
    std::set<std::string> all;
    for (auto &s : seen) all.insert(s.begin(), s.end());
    CHECK(failures == 0);
    CHECK(all.size() == 2000);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s crates/zego-token/tests/vectors/token04.json\n", argv[0]);
        return 2;
    }
    test_vectors(argv[1]);
    test_drop_in_sample();
    test_official_errors();
    test_idiomatic();
    test_threads();
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
