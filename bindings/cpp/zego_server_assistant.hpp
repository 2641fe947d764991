// zego_server_assistant.hpp: header-only C++ (17) wrapper over the zego-token C ABI
// (zego_token.h). Link the library libzego_token_ffi (CMake target
// zego::server_assistant does it).
//
// Two APIs:
//  - ZEGO::SERVER_ASSISTANT::ZegoServerAssistant::GenerateToken04(...) ->
//    ZegoToken04Result, exactly the shapes of ZEGO's official C++ generator (names,
//    fields, error codes), for code that replaces the official sources with this header.
//    Unlike the official port it uses the OS CSPRNG for every GCM nonce (the official
//    one seeds rand() with time(0) and repeats its nonce within a second).
//  - zego_token::*: RAII types (ServerSecret, Room, Validation) and exceptions
//    (zego_token::Error) for generate / decode / inspect / verify / kit tokens.
//
// Thread safety: a zego_token::ServerSecret may be used from many threads at once
// (its methods are const); every other function is reentrant.
#ifndef ZEGO_SERVER_ASSISTANT_HPP
#define ZEGO_SERVER_ASSISTANT_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zego_token.h"

namespace zego_token {

namespace detail {
struct ErrorDeleter {
    void operator()(ZegoTokenError *e) const noexcept { zego_token_error_free(e); }
};
struct StringDeleter {
    void operator()(char *s) const noexcept { zego_token_string_free(s); }
};
struct GeneratedDeleter {
    void operator()(ZegoTokenGenerated *g) const noexcept { zego_token_generated_free(g); }
};
struct DecodedDeleter {
    void operator()(ZegoTokenDecoded *d) const noexcept { zego_token_decoded_free(d); }
};
struct SecretDeleter {
    void operator()(ZegoTokenSecret *s) const noexcept { zego_token_secret_free(s); }
};
using ErrorPtr = std::unique_ptr<ZegoTokenError, ErrorDeleter>;
using StringPtr = std::unique_ptr<char, StringDeleter>;
using GeneratedPtr = std::unique_ptr<ZegoTokenGenerated, GeneratedDeleter>;
using DecodedPtr = std::unique_ptr<ZegoTokenDecoded, DecodedDeleter>;

inline std::string str(const ZegoTokenStr &s) { return std::string(s.ptr, s.len); }
inline std::string cstr(const char *s) { return s != nullptr ? std::string(s) : std::string(); }
}  // namespace detail

/// The cipher mode of a token.
enum class Mode : uint32_t {
    Cbc = ZEGO_TOKEN_MODE_CBC,  ///< legacy AES-256-CBC, no integrity protection
    Gcm = ZEGO_TOKEN_MODE_GCM,  ///< AES-256-GCM, the default and recommended mode
};

/// Every failure of this API. what() says what is wrong; advice() what to do. It never
/// contains the ServerSecret.
class Error : public std::runtime_error {
public:
    explicit Error(int32_t status, const ZegoTokenError *e)
        : std::runtime_error(e != nullptr ? detail::cstr(e->message) : "zego-token: unknown error"),
          status_(status),
          kind_(e != nullptr ? detail::cstr(e->kind) : "internal"),
          field_(e != nullptr ? detail::cstr(e->field) : ""),
          advice_(e != nullptr ? detail::cstr(e->advice) : ""),
          official_code_(e != nullptr ? e->official_code : 0),
          zego_code_(e != nullptr ? e->zego_code : 0),
          zim_code_(e != nullptr ? e->zim_code : 0) {}

    /// The ZEGO_TOKEN_STATUS_* value.
    int32_t status() const noexcept { return status_; }
    /// The stable reason: "expired", "invalid_input", "decrypt", ...
    const std::string &kind() const noexcept { return kind_; }
    /// The input at fault for "invalid_input" ("user_id", "secret", ...), else "".
    const std::string &field() const noexcept { return field_; }
    const std::string &advice() const noexcept { return advice_; }
    /// The official generators' code: 1 appID, 3 userID, 5 secret, 6 effective time; 0 none.
    uint32_t official_code() const noexcept { return official_code_; }
    /// The error code ZEGO's RTC SDKs report for this reason (e.g. 1002078); 0 none.
    uint32_t zego_code() const noexcept { return zego_code_; }
    /// The error code ZEGO's ZIM SDKs report (e.g. 6000106); 0 none.
    uint32_t zim_code() const noexcept { return zim_code_; }

private:
    int32_t status_;
    std::string kind_, field_, advice_;
    uint32_t official_code_, zego_code_, zim_code_;
};

namespace detail {
/// Throws zego_token::Error for a failed status (and frees the C error).
inline void check(int32_t status, ZegoTokenError *raw) {
    ErrorPtr e(raw);
    if (status != ZEGO_TOKEN_OK) throw Error(status, e.get());
}
inline std::string take_string(char *p, size_t len) {
    StringPtr owned(p);
    return std::string(p, len);
}
}  // namespace detail

/// An SDK-rule warning: valid token04, but a ZEGO SDK will refuse or mistreat it.
struct Warning {
    std::string rule;       ///< stable id, e.g. "user_id_charset"
    std::string product;    ///< "rtc", "zim", "kit", or "token" (advice about the token)
    uint32_t code = 0;      ///< the SDK error code the client will see; 0 none
    std::string message;
    bool blocking = false;  ///< the client refuses the token (or cannot renew it in time)
};

namespace detail {
inline std::vector<Warning> warnings(const ZegoTokenWarning *w, size_t n) {
    std::vector<Warning> out;
    for (size_t i = 0; i < n; i++)
        out.push_back(Warning{cstr(w[i].rule), cstr(w[i].product), w[i].code, cstr(w[i].message), w[i].blocking != 0});
    return out;
}
}  // namespace detail

/// A generated token and the values chosen for it.
struct Token {
    std::string token;
    Mode mode = Mode::Gcm;
    int64_t ctime = 0;   ///< creation time, Unix seconds
    int64_t expire = 0;  ///< expiry time, Unix seconds
    int32_t nonce = 0;
    std::vector<Warning> warnings;
};

/// The room privileges of a decoded privilege token.
struct RoomPrivileges {
    std::string room_id;
    bool can_login = false;
    bool can_publish = false;
    bool has_stream_list = false;         ///< a stream list is present (even empty)
    std::vector<std::string> stream_ids;  ///< empty: any stream
};

/// A token decrypted with its secret.
struct Decoded {
    uint32_t app_id = 0;
    std::string user_id;
    int64_t nonce = 0;
    int64_t ctime = 0;
    int64_t expire = 0;
    int64_t header_expire = 0;  ///< the unauthenticated header copy of expire
    std::string payload;
    Mode mode = Mode::Gcm;
    std::vector<uint8_t> iv;
    std::optional<RoomPrivileges> room;  ///< set when the payload is a room document
    bool payload_is_other = false;       ///< payload neither empty nor a room document
    std::vector<Warning> warnings;
};

/// A token's header read without the secret: nothing in it is authenticated.
struct Header {
    int64_t expire = 0;
    Mode mode = Mode::Gcm;
    bool has_mode_byte = false;
    std::vector<uint8_t> iv;
    size_t ciphertext_len = 0;
};

namespace detail {
inline Decoded decoded(const ZegoTokenDecoded *d) {
    Decoded out;
    out.app_id = d->app_id;
    out.user_id = str(d->user_id);
    out.nonce = d->nonce;
    out.ctime = d->ctime;
    out.expire = d->expire;
    out.header_expire = d->header_expire;
    out.payload = str(d->payload);
    out.mode = static_cast<Mode>(d->mode);
    out.iv.assign(d->iv, d->iv + d->iv_len);
    out.payload_is_other = d->payload_kind == ZEGO_TOKEN_PAYLOAD_OTHER;
    if (d->room != nullptr) {
        RoomPrivileges r;
        r.room_id = str(d->room->room_id);
        r.can_login = d->room->can_login != 0;
        r.can_publish = d->room->can_publish != 0;
        r.has_stream_list = d->room->has_stream_list != 0;
        for (size_t i = 0; i < d->room->stream_count; i++) r.stream_ids.push_back(str(d->room->stream_ids[i]));
        out.room = std::move(r);
    }
    out.warnings = warnings(d->warnings, d->warning_count);
    return out;
}
}  // namespace detail

/// The room privilege payload of a privilege token (login allowed, publish denied, any
/// stream by default). payload() checks ZEGO's limits and returns the JSON.
class Room {
public:
    explicit Room(std::string room_id) : room_id_(std::move(room_id)) {}
    Room &allow_login(bool allowed = true) { login_ = allowed; return *this; }
    Room &allow_publish(bool allowed = true) { publish_ = allowed; return *this; }
    Room &stream(std::string stream_id) { streams_.push_back(std::move(stream_id)); return *this; }

    /// The payload JSON. Throws Error ("invalid_input", field "room_id"/"stream_id").
    std::string payload() const {
        std::vector<ZegoTokenStr> list;
        for (const auto &s : streams_) list.push_back(ZegoTokenStr{s.data(), s.size()});
        char *out = nullptr;
        size_t len = 0;
        ZegoTokenError *e = nullptr;
        int32_t st = zego_token_room_payload(room_id_.data(), room_id_.size(), login_ ? 1 : 0, publish_ ? 1 : 0,
                                             list.empty() ? nullptr : list.data(), list.size(), &out, &len, &e);
        detail::check(st, e);
        return detail::take_string(out, len);
    }

private:
    std::string room_id_;
    bool login_ = true;
    bool publish_ = false;
    std::vector<std::string> streams_;
};

/// What ServerSecret::verify expects. The texts are copied into the Validation.
class Validation {
public:
    explicit Validation(uint32_t app_id) { zego_token_validation_init(&v_, app_id); }
    Validation &user_id(std::string id) { user_ = std::move(id); return *this; }
    Validation &room_id(std::string id) { room_ = std::move(id); return *this; }
    Validation &stream_id(std::string id) { stream_ = std::move(id); return *this; }
    Validation &require_publish(bool required = true) { v_.require_publish = required ? 1 : 0; return *this; }
    Validation &leeway(uint32_t seconds) { v_.leeway_seconds = seconds; return *this; }
    /// Judge times at `now` (Unix seconds) instead of the system clock.
    Validation &at(int64_t now) { v_.use_fixed_now = 1; v_.now = now; return *this; }
    uint32_t leeway_seconds() const noexcept { return v_.leeway_seconds; }

    /// The C struct, pointing into this object (valid while it lives, unchanged).
    ZegoTokenValidation c() const {
        ZegoTokenValidation v = v_;
        set(v.user_id, user_);
        set(v.room_id, room_);
        set(v.stream_id, stream_);
        return v;
    }

private:
    static void set(ZegoTokenStr &dst, const std::optional<std::string> &src) {
        if (src) dst = ZegoTokenStr{src->data(), src->size()};
    }
    ZegoTokenValidation v_{};
    std::optional<std::string> user_, room_, stream_;
};

/// A validated ServerSecret with its AES keys prepared once (RAII: the key is zeroized
/// and freed with the object). Move-only; const methods are safe across threads.
class ServerSecret {
public:
    /// Throws Error ("invalid_input", field "secret", official code 5) unless 32 bytes.
    explicit ServerSecret(std::string_view secret) {
        ZegoTokenSecret *h = nullptr;
        ZegoTokenError *e = nullptr;
        int32_t st = zego_token_secret_new(secret.data(), secret.size(), &h, &e);
        detail::check(st, e);
        handle_.reset(h);
    }

    /// Generates a token (GCM by default) for user_id of app_id, valid for
    /// effective_time_in_seconds; payload "" for a basic token or Room::payload().
    Token generate(uint32_t app_id, std::string_view user_id, int64_t effective_time_in_seconds,
                   std::string_view payload = {}, Mode mode = Mode::Gcm) const {
        ZegoTokenGenerated *g = nullptr;
        ZegoTokenError *e = nullptr;
        int32_t st = zego_token_generate(handle_.get(), app_id, user_id.data(), user_id.size(), effective_time_in_seconds,
                                         payload.data(), payload.size(), static_cast<uint32_t>(mode), &g, &e);
        return take(st, g, e);
    }

    /// generate() with a fixed creation time (Unix seconds), for tests and tools.
    Token generate_at(int64_t ctime, uint32_t app_id, std::string_view user_id, int64_t effective_time_in_seconds,
                      std::string_view payload = {}, Mode mode = Mode::Gcm) const {
        ZegoTokenGenerated *g = nullptr;
        ZegoTokenError *e = nullptr;
        int32_t st = zego_token_generate_at(handle_.get(), app_id, user_id.data(), user_id.size(),
                                            effective_time_in_seconds, payload.data(), payload.size(),
                                            static_cast<uint32_t>(mode), ctime, &g, &e);
        return take(st, g, e);
    }

    /// Decrypts a token without judging it (see verify). Throws Error.
    Decoded decode(std::string_view token) const {
        ZegoTokenDecoded *d = nullptr;
        ZegoTokenError *e = nullptr;
        int32_t st = zego_token_decode(handle_.get(), token.data(), token.size(), &d, &e);
        detail::DecodedPtr owned(d);
        detail::check(st, e);
        return detail::decoded(d);
    }

    /// Decrypts and checks a token as ZEGO's server would. Throws Error with the ZEGO
    /// codes (zego_code(), zim_code()) for the first failed check.
    Decoded verify(std::string_view token, const Validation &validation) const {
        ZegoTokenValidation v = validation.c();
        ZegoTokenDecoded *d = nullptr;
        ZegoTokenError *e = nullptr;
        int32_t st = zego_token_verify(handle_.get(), token.data(), token.size(), &v, &d, &e);
        detail::DecodedPtr owned(d);
        detail::check(st, e);
        return detail::decoded(d);
    }

    /// The C handle, for calling zego_token.h directly.
    const ZegoTokenSecret *handle() const noexcept { return handle_.get(); }

private:
    static Token take(int32_t st, ZegoTokenGenerated *raw, ZegoTokenError *e) {
        detail::GeneratedPtr g(raw);
        detail::check(st, e);
        Token t;
        t.token = detail::str(g->token);
        t.mode = static_cast<Mode>(g->mode);
        t.ctime = g->ctime;
        t.expire = g->expire;
        t.nonce = g->nonce;
        t.warnings = detail::warnings(g->warnings, g->warning_count);
        return t;
    }
    std::unique_ptr<ZegoTokenSecret, detail::SecretDeleter> handle_;
};

/// Reads a token's header without the secret. Throws Error.
inline Header inspect(std::string_view token) {
    ZegoTokenHeader h{};
    ZegoTokenError *e = nullptr;
    int32_t st = zego_token_inspect(token.data(), token.size(), &h, &e);
    detail::check(st, e);
    Header out;
    out.expire = h.expire;
    out.mode = static_cast<Mode>(h.mode);
    out.has_mode_byte = h.has_mode_byte != 0;
    out.iv.assign(h.iv, h.iv + h.iv_len);
    out.ciphertext_len = h.ciphertext_len;
    return out;
}

/// A kit token for ZEGO's prebuilt UIKits: token04 + "#" + base64(JSON). Throws Error.
inline std::string kit_token(std::string_view token04, uint32_t app_id, std::string_view user_id,
                             std::string_view room_id, std::string_view user_name) {
    char *out = nullptr;
    size_t len = 0;
    ZegoTokenError *e = nullptr;
    int32_t st = zego_token_kit_token(token04.data(), token04.size(), app_id, user_id.data(), user_id.size(),
                                      room_id.data(), room_id.size(), user_name.data(), user_name.size(), &out, &len, &e);
    detail::check(st, e);
    return detail::take_string(out, len);
}

/// Decodes the part of a kit token after '#' to its JSON text. Throws Error.
inline std::string decode_kit_info(std::string_view info) {
    char *out = nullptr;
    size_t len = 0;
    ZegoTokenError *e = nullptr;
    int32_t st = zego_token_decode_kit_info(info.data(), info.size(), &out, &len, &e);
    detail::check(st, e);
    return detail::take_string(out, len);
}

/// The library's version, e.g. "0.1.0".
inline std::string version() { return zego_token_version(); }

}  // namespace zego_token

namespace ZEGO {
namespace SERVER_ASSISTANT {

/// The "key" of a privilege in the payload's privilege map (as in the official header).
enum kPrivilege {
    kPrivilegeLogin = 1,   ///< may log in to the room; value 0 deny, 1 allow
    kPrivilegePublish = 2  ///< may publish streams; value 0 deny, 1 allow
};

/// The official error codes. otherError (-1) is an addition: an input rule the official
/// port does not check (e.g. a payload too large for the token's length field).
enum ErrorCode {
    success = 0,
    appIDInvalid = 1,
    userIDInvalid = 3,
    secretInvalid = 5,
    effectiveTimeInSecondsInvalid = 6,
    otherError = -1
};

/// An error code and its description (as in the official header).
struct ErrorInfo {
    ErrorCode errorCode = success;
    std::string errorMessage;
};

/// The result of GenerateToken04: token is valid when errorInfo.errorCode is success.
struct ZegoToken04Result {
    std::string token;
    ErrorInfo errorInfo;
};

class ZegoServerAssistant {
public:
    /// The official call: an AES-GCM token04 for userID of appID, valid for
    /// effectiveTimeInSeconds, carrying payload ("" for a basic token). Never throws.
    static ZegoToken04Result GenerateToken04(uint32_t appID, const std::string &userID, const std::string &secret,
                                             int64_t effectiveTimeInSeconds, const std::string &payload = "") {
        ZegoToken04Result result;
        char *token = nullptr;
        size_t len = 0;
        ZegoTokenError *raw = nullptr;
        int32_t st = zego_token_generate_token04(appID, userID.data(), userID.size(), secret.data(), secret.size(),
                                                 effectiveTimeInSeconds, payload.data(), payload.size(), &token, &len,
                                                 &raw);
        zego_token::detail::ErrorPtr e(raw);
        if (st == ZEGO_TOKEN_OK) {
            result.token = zego_token::detail::take_string(token, len);
            return result;
        }
        uint32_t code = e ? e->official_code : 0;
        switch (code) {
            case appIDInvalid:
            case userIDInvalid:
            case secretInvalid:
            case effectiveTimeInSecondsInvalid:
                result.errorInfo.errorCode = static_cast<ErrorCode>(code);
                break;
            default:
                result.errorInfo.errorCode = otherError;
        }
        result.errorInfo.errorMessage = e ? zego_token::detail::cstr(e->message) : "zego-token: unknown error";
        return result;
    }
};

}  // namespace SERVER_ASSISTANT
}  // namespace ZEGO

#endif  // ZEGO_SERVER_ASSISTANT_HPP
