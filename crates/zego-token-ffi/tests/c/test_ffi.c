/*
 * Plain C test of the zego-token C ABI: calls every function of zego_token.h, checks
 * results and error structs, and frees everything it is handed, so that a run under
 * AddressSanitizer (leak detection on) or valgrind proves the ownership rules.
 *
 * Usage: test_ffi PATH/TO/token04.json
 * Prints "N passed, N failed" and exits non-zero on any failure.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zego_token.h"

static int passed, failed;

#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (cond) {                                                                     \
            passed++;                                                                   \
        } else {                                                                        \
            failed++;                                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);    \
        }                                                                               \
    } while (0)

static const char SECRET[] = "fa94dd0f974cf2e293728a526b028271";
#define APP_ID 1234567890u
#define S(lit) (lit), (sizeof(lit) - 1)

/* Checks an error's fields, then frees it. */
static void expect_error(ZegoTokenError *err, int32_t status, const char *kind,
                         const char *field, uint32_t official, uint32_t zego, uint32_t zim) {
    CHECK(err != NULL);
    if (err == NULL) return;
    CHECK(err->status == status);
    CHECK(strcmp(err->kind, kind) == 0);
    if (field == NULL) {
        CHECK(err->field == NULL);
    } else {
        CHECK(err->field != NULL && strcmp(err->field, field) == 0);
    }
    CHECK(err->official_code == official);
    CHECK(err->zego_code == zego);
    CHECK(err->zim_code == zim);
    CHECK(err->message != NULL && strlen(err->message) > 10);
    CHECK(err->advice != NULL && strlen(err->advice) > 10);
    /* No error ever echoes the secret. */
    CHECK(strstr(err->message, SECRET) == NULL);
    zego_token_error_free(err);
}

static void test_versions(void) {
    CHECK(zego_token_abi_version() == ZEGO_TOKEN_ABI_VERSION);
    const char *v = zego_token_version();
    CHECK(v != NULL && strchr(v, '.') != NULL);
}

static void test_official_call(void) {
    char *token = NULL;
    size_t len = 0;
    ZegoTokenError *err = (ZegoTokenError *)1; /* must be overwritten with NULL */
    int32_t st = zego_token_generate_token04(APP_ID, S("user1"), S(SECRET), 3600, NULL, 0,
                                             &token, &len, &err);
    CHECK(st == ZEGO_TOKEN_OK);
    CHECK(err == NULL);
    CHECK(token != NULL && strncmp(token, "04", 2) == 0 && strlen(token) == len);

    /* The token is a GCM token that decodes to the inputs. */
    ZegoTokenSecret *secret = NULL;
    CHECK(zego_token_secret_new(S(SECRET), &secret, NULL) == ZEGO_TOKEN_OK);
    ZegoTokenDecoded *d = NULL;
    CHECK(zego_token_decode(secret, token, len, &d, NULL) == ZEGO_TOKEN_OK);
    CHECK(d != NULL && d->app_id == APP_ID && d->mode == ZEGO_TOKEN_MODE_GCM);
    CHECK(d != NULL && d->expire - d->ctime == 3600);
    CHECK(d != NULL && d->user_id.len == 5 && memcmp(d->user_id.ptr, "user1", 5) == 0);
    CHECK(d != NULL && d->payload.len == 0 && d->payload_kind == ZEGO_TOKEN_PAYLOAD_EMPTY);
    CHECK(d != NULL && d->room == NULL && d->iv_len == 12);
    zego_token_decoded_free(d);
    zego_token_secret_free(secret);
    zego_token_string_free(token);

    /* The official codes, in the official order. */
    st = zego_token_generate_token04(0, S("user1"), S(SECRET), 3600, NULL, 0, &token, NULL, &err);
    CHECK(st == ZEGO_TOKEN_STATUS_INVALID_INPUT && token == NULL);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_INPUT, "invalid_input", "app_id", 1, 0, 0);
    st = zego_token_generate_token04(APP_ID, NULL, 0, S(SECRET), 3600, NULL, 0, &token, NULL, &err);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_INPUT, "invalid_input", "user_id", 3, 0, 0);
    st = zego_token_generate_token04(APP_ID, S("user1"), S("0123456789"), 3600, NULL, 0, &token,
                                     NULL, &err);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_INPUT, "invalid_input", "secret", 5, 0, 0);
    st = zego_token_generate_token04(APP_ID, S("user1"), S(SECRET), -1, NULL, 0, &token, NULL, &err);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_INPUT, "invalid_input",
                 "effective_time_in_seconds", 6, 0, 0);
    /* Invalid UTF-8 is refused (the official PHP port returned success here). */
    st = zego_token_generate_token04(APP_ID, S("\xc3\x28"), S(SECRET), 3600, NULL, 0, &token,
                                     NULL, &err);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_INPUT, "invalid_input", "user_id", 3, 0, 0);
    /* The secret is taken by length, not up to a NUL: 32 bytes with a NUL inside are
     * a valid length; 31 bytes are not. */
    st = zego_token_generate_token04(APP_ID, S("user1"), SECRET, 31, 3600, NULL, 0, &token, NULL,
                                     &err);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_INPUT, "invalid_input", "secret", 5, 0, 0);
    /* A user ID with a NUL byte inside is carried whole, never cut at the NUL. */
    st = zego_token_generate_token04(APP_ID, S("a\0b"), S(SECRET), 60, NULL, 0, &token, &len, NULL);
    CHECK(st == ZEGO_TOKEN_OK);
    if (st == ZEGO_TOKEN_OK) {
        CHECK(zego_token_secret_new(S(SECRET), &secret, NULL) == ZEGO_TOKEN_OK);
        CHECK(zego_token_decode(secret, token, len, &d, NULL) == ZEGO_TOKEN_OK);
        CHECK(d != NULL && d->user_id.len == 3 && memcmp(d->user_id.ptr, "a\0b", 3) == 0);
        zego_token_decoded_free(d);
        zego_token_secret_free(secret);
        zego_token_string_free(token);
    }
    /* Pointer misuse: reported, never dereferenced. */
    st = zego_token_generate_token04(APP_ID, S("user1"), S(SECRET), 60, NULL, 0, NULL, NULL, &err);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_ARGUMENT, "invalid_argument", "token_out", 0, 0, 0);
    st = zego_token_generate_token04(APP_ID, NULL, 5, S(SECRET), 60, NULL, 0, &token, NULL, &err);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_ARGUMENT, "invalid_argument", "user_id", 0, 0, 0);
    /* A NULL error pointer still gets the status. */
    CHECK(zego_token_generate_token04(0, S("u"), S(SECRET), 60, NULL, 0, &token, NULL, NULL) ==
          ZEGO_TOKEN_STATUS_INVALID_INPUT);
}

static void test_secret_and_generate(void) {
    ZegoTokenSecret *secret = NULL;
    ZegoTokenError *err = NULL;
    CHECK(zego_token_secret_new(S("short"), &secret, &err) == ZEGO_TOKEN_STATUS_INVALID_INPUT);
    CHECK(secret == NULL);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_INPUT, "invalid_input", "secret", 5, 0, 0);
    CHECK(zego_token_secret_new(S(SECRET), NULL, &err) == ZEGO_TOKEN_STATUS_INVALID_ARGUMENT);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_ARGUMENT, "invalid_argument", "secret_out", 0, 0, 0);
    CHECK(zego_token_secret_new(S(SECRET), &secret, &err) == ZEGO_TOKEN_OK);

    /* A privilege payload, built and checked by the library. */
    ZegoTokenStr streams[2] = {{"s1", 2}, {"s-2", 3}};
    char *payload = NULL;
    size_t payload_len = 0;
    CHECK(zego_token_room_payload(S("room-1"), 1, 1, streams, 2, &payload, &payload_len, &err) ==
          ZEGO_TOKEN_OK);
    CHECK(payload != NULL &&
          strcmp(payload, "{\"room_id\":\"room-1\",\"privilege\":{\"1\":1,\"2\":1},"
                          "\"stream_id_list\":[\"s1\",\"s-2\"]}") == 0);
    CHECK(payload != NULL && strlen(payload) == payload_len);
    char *bad_payload = NULL;
    ZegoTokenStr bad_stream[1] = {{"no spaces", 9}};
    CHECK(zego_token_room_payload(S("room-1"), 1, 0, bad_stream, 1, &bad_payload, NULL, &err) ==
          ZEGO_TOKEN_STATUS_INVALID_INPUT);
    CHECK(bad_payload == NULL);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_INPUT, "invalid_input", "stream_id", 0, 0, 0);
    CHECK(zego_token_room_payload(NULL, 0, 1, 0, NULL, 0, &bad_payload, NULL, &err) ==
          ZEGO_TOKEN_STATUS_INVALID_INPUT);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_INPUT, "invalid_input", "room_id", 0, 0, 0);
    CHECK(zego_token_room_payload(S("r"), 1, 0, NULL, 2, &bad_payload, NULL, &err) ==
          ZEGO_TOKEN_STATUS_INVALID_ARGUMENT);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_ARGUMENT, "invalid_argument", "stream_ids", 0, 0, 0);

    /* CBC with a fixed creation time, then GCM at the system clock. */
    ZegoTokenGenerated *g = NULL;
    CHECK(zego_token_generate_at(secret, 7, S("alice"), 3600, payload, payload_len,
                                 ZEGO_TOKEN_MODE_CBC, 1700000000, &g, &err) == ZEGO_TOKEN_OK);
    CHECK(g != NULL && g->ctime == 1700000000 && g->expire == 1700003600);
    CHECK(g != NULL && g->mode == ZEGO_TOKEN_MODE_CBC && g->token.len == strlen(g->token.ptr));
    CHECK(g != NULL && (g->warning_count == 0) == (g->warnings == NULL));
    ZegoTokenGenerated *g2 = NULL;
    CHECK(zego_token_generate(secret, 7, S("alice"), 60, NULL, 0, ZEGO_TOKEN_MODE_GCM, &g2, &err) ==
          ZEGO_TOKEN_OK);
    CHECK(g2 != NULL && g2->mode == ZEGO_TOKEN_MODE_GCM && g2->expire - g2->ctime == 60);
    zego_token_generated_free(g2);
    CHECK(zego_token_generate(secret, 7, S("alice"), 60, NULL, 0, 7, &g2, &err) ==
          ZEGO_TOKEN_STATUS_INVALID_ARGUMENT);
    CHECK(g2 == NULL);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_ARGUMENT, "invalid_argument", "mode", 0, 0, 0);
    CHECK(zego_token_generate(NULL, 7, S("alice"), 60, NULL, 0, ZEGO_TOKEN_MODE_GCM, &g2, &err) ==
          ZEGO_TOKEN_STATUS_INVALID_ARGUMENT);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_ARGUMENT, "invalid_argument", "secret", 0, 0, 0);
    CHECK(zego_token_generate(secret, 7, S("alice"), -5, NULL, 0, ZEGO_TOKEN_MODE_GCM, &g2, &err) ==
          ZEGO_TOKEN_STATUS_INVALID_INPUT);
    CHECK(err != NULL && strstr(err->message, "-5 s") != NULL);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_INPUT, "invalid_input",
                 "effective_time_in_seconds", 6, 0, 0);

    /* SDK-rule warnings: a user ID with a space and a 10 s lifetime. */
    ZegoTokenGenerated *warned = NULL;
    CHECK(zego_token_generate(secret, 7, S("a b"), 10, NULL, 0, ZEGO_TOKEN_MODE_GCM, &warned, &err) ==
          ZEGO_TOKEN_OK);
    if (warned != NULL) {
        int charset = 0, ttl = 0;
        for (size_t i = 0; i < warned->warning_count; i++) {
            const ZegoTokenWarning *w = &warned->warnings[i];
            CHECK(strlen(w->message) > 10 && strlen(w->product) > 0);
            if (strcmp(w->rule, "user_id_charset") == 0)
                charset = strcmp(w->product, "rtc") == 0 && w->code == 1002006 && w->blocking == 1;
            if (strcmp(w->rule, "ttl_too_short") == 0) ttl = w->code == 6000108;
        }
        CHECK(charset && ttl);
        ZegoTokenDecoded *wd = NULL;
        CHECK(zego_token_decode(secret, warned->token.ptr, warned->token.len, &wd, NULL) == ZEGO_TOKEN_OK);
        CHECK(wd != NULL && wd->warning_count == warned->warning_count);
        zego_token_decoded_free(wd);
        /* The kits cannot carry that user ID: refused. */
        char *kit = NULL;
        CHECK(zego_token_kit_token(warned->token.ptr, warned->token.len, 7, S("a b"), S("room-1"), S("A"),
                                   &kit, NULL, &err) == ZEGO_TOKEN_STATUS_INVALID_INPUT);
        CHECK(kit == NULL);
        expect_error(err, ZEGO_TOKEN_STATUS_INVALID_INPUT, "invalid_input", "user_id", 3, 0, 0);
    }
    zego_token_generated_free(warned);

    /* Inspect: the header without the secret, into caller storage. */
    if (g != NULL) {
        ZegoTokenHeader h;
        memset(&h, 0xAA, sizeof h);
        CHECK(zego_token_inspect(g->token.ptr, g->token.len, &h, &err) == ZEGO_TOKEN_OK);
        CHECK(h.expire == 1700003600 && h.mode == ZEGO_TOKEN_MODE_CBC && h.iv_len == 16);
        CHECK(h.has_mode_byte == 0 && h.ciphertext_len % 16 == 0);
    }
    ZegoTokenHeader h;
    CHECK(zego_token_inspect(S("03AAAA"), &h, &err) == ZEGO_TOKEN_STATUS_WRONG_VERSION);
    expect_error(err, ZEGO_TOKEN_STATUS_WRONG_VERSION, "wrong_version", NULL, 0, 1002079, 6000107);
    CHECK(zego_token_inspect(S("04!!"), &h, &err) == ZEGO_TOKEN_STATUS_MALFORMED);
    expect_error(err, ZEGO_TOKEN_STATUS_MALFORMED, "malformed", NULL, 0, 1002075, 6000103);
    CHECK(zego_token_inspect(S("04\xff"), &h, &err) == ZEGO_TOKEN_STATUS_MALFORMED);
    expect_error(err, ZEGO_TOKEN_STATUS_MALFORMED, "malformed", NULL, 0, 1002075, 6000103);
    CHECK(zego_token_inspect(S("04AAAA"), NULL, &err) == ZEGO_TOKEN_STATUS_INVALID_ARGUMENT);
    expect_error(err, ZEGO_TOKEN_STATUS_INVALID_ARGUMENT, "invalid_argument", "out", 0, 0, 0);

    /* Verify: each refusal with its codes. */
    if (g != NULL) {
        ZegoTokenValidation v;
        CHECK(zego_token_validation_init(&v, 7) == ZEGO_TOKEN_OK);
        CHECK(v.app_id == 7 && v.user_id.ptr == NULL && v.use_fixed_now == 0);
        v.use_fixed_now = 1;
        v.now = 1700000100;
        v.user_id.ptr = "alice";
        v.user_id.len = 5;
        v.room_id.ptr = "room-1";
        v.room_id.len = 6;
        v.stream_id.ptr = "s-2";
        v.stream_id.len = 3;
        ZegoTokenDecoded *d = NULL;
        CHECK(zego_token_verify(secret, g->token.ptr, g->token.len, &v, &d, &err) == ZEGO_TOKEN_OK);
        CHECK(err == NULL && d != NULL);
        if (d != NULL) {
            CHECK(d->payload_kind == ZEGO_TOKEN_PAYLOAD_ROOM && d->room != NULL);
            CHECK(d->room->room_id.len == 6 && memcmp(d->room->room_id.ptr, "room-1", 6) == 0);
            CHECK(d->room->can_login == 1 && d->room->can_publish == 1);
            CHECK(d->room->has_stream_list == 1 && d->room->stream_count == 2);
            CHECK(d->room->stream_count == 2 && d->room->stream_ids[1].len == 3 &&
                  memcmp(d->room->stream_ids[1].ptr, "s-2", 3) == 0);
            CHECK(d->payload.len == payload_len && memcmp(d->payload.ptr, payload, payload_len) == 0);
            CHECK(d->header_expire == d->expire && d->iv_len == 16);
        }
        zego_token_decoded_free(d);
        /* Without an out-pointer: status only. */
        CHECK(zego_token_verify(secret, g->token.ptr, g->token.len, &v, NULL, NULL) == ZEGO_TOKEN_OK);

        v.stream_id.ptr = "s3";
        v.stream_id.len = 2;
        CHECK(zego_token_verify(secret, g->token.ptr, g->token.len, &v, &d, &err) ==
              ZEGO_TOKEN_STATUS_STREAM_NOT_ALLOWED);
        CHECK(d == NULL);
        expect_error(err, ZEGO_TOKEN_STATUS_STREAM_NOT_ALLOWED, "stream_not_allowed", NULL, 0,
                     1003072, 0);
        v.stream_id.ptr = NULL;
        v.stream_id.len = 0;
        v.room_id.ptr = "room-2";
        CHECK(zego_token_verify(secret, g->token.ptr, g->token.len, &v, NULL, &err) ==
              ZEGO_TOKEN_STATUS_ROOM_MISMATCH);
        expect_error(err, ZEGO_TOKEN_STATUS_ROOM_MISMATCH, "room_mismatch", NULL, 0, 1002033, 0);
        v.room_id.ptr = NULL;
        v.user_id.ptr = "bob";
        v.user_id.len = 3;
        CHECK(zego_token_verify(secret, g->token.ptr, g->token.len, &v, NULL, &err) ==
              ZEGO_TOKEN_STATUS_USER_ID_MISMATCH);
        expect_error(err, ZEGO_TOKEN_STATUS_USER_ID_MISMATCH, "user_id_mismatch", NULL, 0, 1002077,
                     6000103);
        v.user_id.ptr = NULL;
        v.now = 1700003600 + v.leeway_seconds;
        CHECK(zego_token_verify(secret, g->token.ptr, g->token.len, &v, NULL, &err) ==
              ZEGO_TOKEN_STATUS_EXPIRED);
        expect_error(err, ZEGO_TOKEN_STATUS_EXPIRED, "expired", NULL, 0, 1002078, 6000106);
        v.now = 1600000000;
        CHECK(zego_token_verify(secret, g->token.ptr, g->token.len, &v, NULL, &err) ==
              ZEGO_TOKEN_STATUS_NOT_YET_VALID);
        expect_error(err, ZEGO_TOKEN_STATUS_NOT_YET_VALID, "not_yet_valid", NULL, 0, 0, 0);
        v.now = 1700000100;
        v.app_id = 8;
        CHECK(zego_token_verify(secret, g->token.ptr, g->token.len, &v, NULL, &err) ==
              ZEGO_TOKEN_STATUS_APP_ID_MISMATCH);
        expect_error(err, ZEGO_TOKEN_STATUS_APP_ID_MISMATCH, "app_id_mismatch", NULL, 0, 1002076,
                     6000103);
        CHECK(zego_token_verify(secret, g->token.ptr, g->token.len, NULL, NULL, &err) ==
              ZEGO_TOKEN_STATUS_INVALID_ARGUMENT);
        expect_error(err, ZEGO_TOKEN_STATUS_INVALID_ARGUMENT, "invalid_argument", "validation", 0,
                     0, 0);

        /* A wrong secret: one opaque reason. */
        ZegoTokenSecret *other = NULL;
        CHECK(zego_token_secret_new(S("00000000000000000000000000000000"), &other, NULL) ==
              ZEGO_TOKEN_OK);
        v.app_id = 7;
        CHECK(zego_token_verify(other, g->token.ptr, g->token.len, &v, NULL, &err) ==
              ZEGO_TOKEN_STATUS_DECRYPT);
        expect_error(err, ZEGO_TOKEN_STATUS_DECRYPT, "decrypt", NULL, 0, 1002033, 6000103);
        CHECK(zego_token_decode(other, g->token.ptr, g->token.len, &d, &err) ==
              ZEGO_TOKEN_STATUS_DECRYPT);
        CHECK(d == NULL);
        expect_error(err, ZEGO_TOKEN_STATUS_DECRYPT, "decrypt", NULL, 0, 1002033, 6000103);
        zego_token_secret_free(other);
    }
    {
        /* A basic token lacks the publish privilege. */
        ZegoTokenGenerated *basic = NULL;
        CHECK(zego_token_generate(secret, 7, S("alice"), 60, NULL, 0, ZEGO_TOKEN_MODE_GCM, &basic,
                                  NULL) == ZEGO_TOKEN_OK);
        ZegoTokenValidation v;
        CHECK(zego_token_validation_init(&v, 7) == ZEGO_TOKEN_OK);
        v.require_publish = 1;
        if (basic != NULL) {
            CHECK(zego_token_verify(secret, basic->token.ptr, basic->token.len, &v, NULL, &err) ==
                  ZEGO_TOKEN_STATUS_PRIVILEGE_MISSING);
            expect_error(err, ZEGO_TOKEN_STATUS_PRIVILEGE_MISSING, "privilege_missing", NULL, 0,
                         1003072, 0);
            v.require_publish = 0;
            CHECK(zego_token_verify(secret, basic->token.ptr, basic->token.len, &v, NULL, &err) ==
                  ZEGO_TOKEN_OK);
        }
        zego_token_generated_free(basic);
    }

    /* Kit tokens. */
    if (g != NULL) {
        char *kit = NULL;
        size_t kit_len = 0;
        CHECK(zego_token_kit_token(g->token.ptr, g->token.len, 7, S("alice"), S("room-1"),
                                   S("Zo\xc3\xab D"), &kit, &kit_len, &err) == ZEGO_TOKEN_OK);
        CHECK(kit != NULL && strlen(kit) == kit_len && strncmp(kit, g->token.ptr, g->token.len) == 0);
        const char *hash = kit != NULL ? strchr(kit, '#') : NULL;
        CHECK(hash != NULL);
        if (hash != NULL) {
            char *json = NULL;
            size_t json_len = 0;
            CHECK(zego_token_decode_kit_info(hash + 1, strlen(hash + 1), &json, &json_len, &err) ==
                  ZEGO_TOKEN_OK);
            CHECK(json != NULL &&
                  strcmp(json, "{\"userID\":\"alice\",\"roomID\":\"room-1\",\"userName\":"
                               "\"Zo%C3%AB%20D\",\"appID\":7}") == 0);
            CHECK(json != NULL && strlen(json) == json_len);
            zego_token_string_free(json);
        }
        char *json = NULL;
        CHECK(zego_token_decode_kit_info(S("!!"), &json, NULL, &err) == ZEGO_TOKEN_STATUS_MALFORMED);
        CHECK(json == NULL);
        expect_error(err, ZEGO_TOKEN_STATUS_MALFORMED, "malformed", NULL, 0, 1002075, 6000103);
        zego_token_string_free(kit);
    }

    /* Freeing NULL is a no-op for every free function. */
    zego_token_string_free(NULL);
    zego_token_error_free(NULL);
    zego_token_generated_free(NULL);
    zego_token_decoded_free(NULL);
    zego_token_secret_free(NULL);

    zego_token_generated_free(g);
    zego_token_string_free(payload);
    zego_token_secret_free(secret);
}

/* --- one secret handle shared by several threads ------------------------------------ */

struct worker {
    const ZegoTokenSecret *secret;
    int id, failures;
};

static void *work(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < 300; i++) {
        char user[32];
        int n = snprintf(user, sizeof user, "user-%d-%d", w->id, i);
        ZegoTokenGenerated *g = NULL;
        ZegoTokenDecoded *d = NULL;
        ZegoTokenValidation v;
        zego_token_validation_init(&v, 7);
        v.user_id.ptr = user;
        v.user_id.len = (size_t)n;
        if (zego_token_generate(w->secret, 7, user, (size_t)n, 3600, NULL, 0, ZEGO_TOKEN_MODE_GCM, &g, NULL) !=
                ZEGO_TOKEN_OK ||
            zego_token_verify(w->secret, g->token.ptr, g->token.len, &v, &d, NULL) != ZEGO_TOKEN_OK ||
            d->user_id.len != (size_t)n || memcmp(d->user_id.ptr, user, (size_t)n) != 0)
            w->failures++;
        zego_token_decoded_free(d);
        zego_token_generated_free(g);
    }
    return NULL;
}

static void test_threads(void) {
    ZegoTokenSecret *secret = NULL;
    CHECK(zego_token_secret_new(S(SECRET), &secret, NULL) == ZEGO_TOKEN_OK);
    pthread_t threads[4];
    struct worker workers[4];
    for (int i = 0; i < 4; i++) {
        workers[i].secret = secret;
        workers[i].id = i;
        workers[i].failures = 0;
        CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK(workers[i].failures == 0);
    }
    zego_token_secret_free(secret);
}

/* --- the official vectors, read from the pretty-printed JSON file ------------------- */

/* Copies the JSON string value of `"key": "..."` on this line (no escapes needed for the
 * fields read here: secret, token, mode, iv_hex). */
static int string_field(const char *line, const char *key, char *out, size_t cap) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    const char *p = strstr(line, pat);
    if (p == NULL) return 0;
    p += strlen(pat);
    const char *end = strchr(p, '"');
    if (end == NULL || (size_t)(end - p) >= cap) return 0;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return 1;
}

static int int_field(const char *line, const char *key, long long *out) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(line, pat);
    if (p == NULL) return 0;
    *out = strtoll(p + strlen(pat), NULL, 10);
    return 1;
}

struct vector {
    char secret[64], token[4096], mode[8], iv_hex[64];
    long long app_id, ctime, expire, nonce;
    int fields;
};

static void check_vector(const struct vector *v, int index) {
    ZegoTokenSecret *secret = NULL;
    ZegoTokenDecoded *d = NULL;
    ZegoTokenError *err = NULL;
    CHECK(zego_token_secret_new(v->secret, strlen(v->secret), &secret, NULL) == ZEGO_TOKEN_OK);
    int32_t st = zego_token_decode(secret, v->token, strlen(v->token), &d, &err);
    if (st != ZEGO_TOKEN_OK) {
        fprintf(stderr, "vector %d: decode failed: %s\n", index, err ? err->message : "?");
        zego_token_error_free(err);
    }
    CHECK(st == ZEGO_TOKEN_OK);
    if (d != NULL) {
        char hex[64] = {0};
        for (size_t i = 0; i < d->iv_len && i < 16; i++) sprintf(hex + 2 * i, "%02x", d->iv[i]);
        int ok = (long long)d->app_id == v->app_id && d->ctime == v->ctime &&
                 d->expire == v->expire && d->nonce == v->nonce && strcmp(hex, v->iv_hex) == 0 &&
                 d->mode == (strcmp(v->mode, "gcm") == 0 ? ZEGO_TOKEN_MODE_GCM : ZEGO_TOKEN_MODE_CBC);
        if (!ok) fprintf(stderr, "vector %d: decoded fields differ\n", index);
        CHECK(ok);
        ZegoTokenValidation val;
        zego_token_validation_init(&val, d->app_id);
        val.use_fixed_now = 1;
        val.now = d->ctime;
        CHECK(zego_token_verify(secret, v->token, strlen(v->token), &val, NULL, NULL) == ZEGO_TOKEN_OK);
    }
    zego_token_decoded_free(d);
    zego_token_secret_free(secret);
}

static void test_vectors(const char *path) {
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (f == NULL) return;
    static char line[1 << 16];
    struct vector v;
    memset(&v, 0, sizeof v);
    int count = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        v.fields += string_field(line, "secret", v.secret, sizeof v.secret);
        v.fields += string_field(line, "token", v.token, sizeof v.token);
        v.fields += string_field(line, "mode", v.mode, sizeof v.mode);
        v.fields += string_field(line, "iv_hex", v.iv_hex, sizeof v.iv_hex);
        v.fields += int_field(line, "app_id", &v.app_id);
        v.fields += int_field(line, "ctime", &v.ctime);
        v.fields += int_field(line, "expire", &v.expire);
        v.fields += int_field(line, "nonce", &v.nonce);
        if (strstr(line, "}") != NULL && strstr(line, "\"") == NULL) {
            /* the end of one vector object */
            CHECK(v.fields == 8);
            check_vector(&v, count++);
            memset(&v, 0, sizeof v);
        }
    }
    fclose(f);
    printf("official vectors: %d checked\n", count);
    CHECK(count == 71);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s crates/zego-token/tests/vectors/token04.json\n", argv[0]);
        return 2;
    }
    test_versions();
    test_official_call();
    test_secret_and_generate();
    test_threads();
    test_vectors(argv[1]);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
