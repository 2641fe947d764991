package token04_test

// A plain-Go implementation of ZEGO's official GCM generator (token/go/src/token04 with
// util/aes_gcm.go and util/pack.go): the benchmark's baseline. It does per call what
// the official code does per call: a math/rand source seeded from the clock for the
// claims nonce, encoding/json for the claims, crypto/aes + cipher.NewGCM with a
// crypto/rand nonce, big-endian packing into a bytes.Buffer, standard base64.

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	mrand "math/rand"
	"time"
)

type plainTokenInfo struct {
	AppId   uint32 `json:"app_id"`
	UserId  string `json:"user_id"`
	CTime   int64  `json:"ctime"`
	Expire  int64  `json:"expire"`
	Nonce   int32  `json:"nonce"`
	PayLoad string `json:"payload"`
}

func plainGenerateToken04(appId uint32, userId string, secret string, effectiveTimeInSeconds int64, payload string) (string, error) {
	return plainGenerate(appId, userId, secret, effectiveTimeInSeconds, payload, func() int32 {
		return mrand.New(mrand.NewSource(time.Now().UnixNano())).Int31()
	})
}

// plainTunedGenerateToken04 is the same algorithm without the official per-call
// math/rand seeding (the nonce from the global generator): a fairer "well-written
// plain Go" reference, reported beside the official baseline.
func plainTunedGenerateToken04(appId uint32, userId string, secret string, effectiveTimeInSeconds int64, payload string) (string, error) {
	return plainGenerate(appId, userId, secret, effectiveTimeInSeconds, payload, mrand.Int31)
}

func plainGenerate(appId uint32, userId string, secret string, effectiveTimeInSeconds int64, payload string, nonce32 func() int32) (string, error) {
	if appId == 0 || userId == "" || len(secret) != 32 || effectiveTimeInSeconds <= 0 {
		return "", errors.New("invalid parameter")
	}
	info := plainTokenInfo{
		AppId:   appId,
		UserId:  userId,
		CTime:   time.Now().Unix(),
		Nonce:   nonce32(),
		PayLoad: payload,
	}
	info.Expire = info.CTime + effectiveTimeInSeconds
	plaintext, err := json.Marshal(info)
	if err != nil {
		return "", err
	}
	block, err := aes.NewCipher([]byte(secret))
	if err != nil {
		return "", err
	}
	nonce := make([]byte, 12)
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	ct := gcm.Seal(nil, nonce, plaintext, nil)
	buf := bytes.NewBuffer(make([]byte, 0, len(ct)+len(nonce)+13))
	_ = binary.Write(buf, binary.BigEndian, info.Expire)
	_ = binary.Write(buf, binary.BigEndian, uint16(len(nonce)))
	buf.Write(nonce)
	_ = binary.Write(buf, binary.BigEndian, uint16(len(ct)))
	buf.Write(ct)
	buf.WriteByte(1)
	return "04" + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}
