// The benchmark's same-run baseline: ZEGO's official C++ token04 GCM algorithm
// (token/c++/token04/kernel/impl/ZegoServerAssistantImpl.cpp) in plain C++, with
// OpenSSL's AES-GCM instead of the port's bundled software AES and a small JSON writer
// instead of rapidjson. Per call, as the official code: srand(time(0)) + rand() for the
// claims nonce and the 12-character nonce, the claims JSON (app_id, user_id, nonce, ctime,
// expire, payload), a fresh key setup, GCM seal, big-endian packing, base64.
// Benchmark use only: it repeats its nonce within a second, like the original.
#ifndef ZEGO_BENCH_BASELINE_OFFICIAL_HPP
#define ZEGO_BENCH_BASELINE_OFFICIAL_HPP

#include <openssl/evp.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

namespace baseline {

inline void json_string(std::string &out, const std::string &s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04X", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

inline std::string GenerateToken04(uint32_t appID, const std::string &userID, const std::string &secret,
                                   int64_t effectiveTimeInSeconds, const std::string &payload) {
    if (appID == 0 || userID.empty() || secret.size() != 32 || effectiveTimeInSeconds <= 0) return "";
    time_t createTime;
    time(&createTime);
    int64_t expireTime = createTime + effectiveTimeInSeconds;
    srand(unsigned(time(0)));
    int32_t nonce = (int32_t)rand();

    std::string plain = "{\"app_id\":" + std::to_string(appID) + ",\"user_id\":";
    json_string(plain, userID);
    plain += ",\"nonce\":" + std::to_string(nonce) + ",\"ctime\":" + std::to_string((int64_t)createTime) +
             ",\"expire\":" + std::to_string(expireTime) + ",\"payload\":";
    json_string(plain, payload);
    plain += '}';

    static const std::string alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string iv;
    srand(unsigned(time(0)));
    for (int i = 0; i < 12; ++i) iv += alphabet[rand() % alphabet.size()];

    std::string ct(plain.size() + 16, '\0');
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len = 0;
    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr);
    EVP_EncryptInit_ex(ctx, nullptr, nullptr, (const unsigned char *)secret.data(), (const unsigned char *)iv.data());
    EVP_EncryptUpdate(ctx, (unsigned char *)&ct[0], &len, (const unsigned char *)plain.data(), (int)plain.size());
    EVP_EncryptFinal_ex(ctx, (unsigned char *)&ct[0] + len, &len);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, &ct[plain.size()]);
    EVP_CIPHER_CTX_free(ctx);

    std::string buf;
    for (int i = 7; i >= 0; i--) buf += (char)((uint64_t)expireTime >> (8 * i));
    buf += (char)(iv.size() >> 8);
    buf += (char)iv.size();
    buf += iv;
    buf += (char)(ct.size() >> 8);
    buf += (char)ct.size();
    buf += ct;
    buf += (char)1;

    std::string b64(4 * ((buf.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock((unsigned char *)&b64[0], (const unsigned char *)buf.data(), (int)buf.size());
    b64.resize(n);
    return "04" + b64;
}

}  // namespace baseline

#endif
