<?php

declare(strict_types=1);

namespace ZEGO\Token;

/**
 * A freshly generated token and the values chosen for it. (string) $generated is the token.
 */
final class GeneratedToken
{
    /** @var string the token text ("04" + base64) */
    public $token;
    /** @var int creation time, Unix seconds */
    public $ctime;
    /** @var int expiry time, Unix seconds */
    public $expire;
    /** @var int the random claims nonce (signed 32-bit) */
    public $nonce;
    /** @var string CipherMode::GCM or CipherMode::CBC */
    public $mode;
    /** @var list<SdkWarning> SDK rules the claims break (the token still works as a token04) */
    public $warnings;

    /**
     * @param list<SdkWarning> $warnings
     * @internal
     */
    public function __construct(string $token, int $ctime, int $expire, int $nonce, string $mode, array $warnings)
    {
        $this->token = $token;
        $this->ctime = $ctime;
        $this->expire = $expire;
        $this->nonce = $nonce;
        $this->mode = $mode;
        $this->warnings = $warnings;
    }

    public function __toString(): string
    {
        return $this->token;
    }
}
