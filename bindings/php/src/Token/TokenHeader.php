<?php

declare(strict_types=1);

namespace ZEGO\Token;

/**
 * A token's header, read without the secret. Nothing in it is authenticated: use it to
 * explain a token, never to accept one.
 */
final class TokenHeader
{
    /** @var int the header's copy of expire, Unix seconds */
    public $expire;
    /** @var string CipherMode::GCM or CipherMode::CBC */
    public $mode;
    /** @var bool the body ends with an explicit mode byte (always for GCM) */
    public $hasModeByte;
    /** @var string the IV (CBC) or GCM nonce, binary */
    public $iv;
    /** @var int the ciphertext length in bytes (GCM: with its 16-byte tag) */
    public $ciphertextLength;

    /** @internal */
    public function __construct(int $expire, string $mode, bool $hasModeByte, string $iv, int $ciphertextLength)
    {
        $this->expire = $expire;
        $this->mode = $mode;
        $this->hasModeByte = $hasModeByte;
        $this->iv = $iv;
        $this->ciphertextLength = $ciphertextLength;
    }
}
