<?php

declare(strict_types=1);

namespace ZEGO\Token;

/**
 * A token ZEGO's servers accept but a ZEGO SDK will refuse or mistreat (e.g. a user ID
 * with characters the SDK does not take, a lifetime shorter than the SDK's renewal
 * window).
 */
final class SdkWarning
{
    /** @var string the stable rule id, e.g. "user_id_charset", "ttl_too_short" */
    public $rule;
    /** @var string the client the rule is of: "rtc" (Express SDKs), "zim", "kit" (UIKits) or "token" */
    public $product;
    /** @var int|null the SDK error code the client will see */
    public $code;
    /** @var string what will go wrong */
    public $message;
    /** @var bool the token is unusable for that client (it refuses it, or it cannot be renewed in time); false: a caveat */
    public $blocking;

    /** @internal */
    public function __construct(string $rule, string $product, ?int $code, string $message, bool $blocking)
    {
        $this->rule = $rule;
        $this->product = $product;
        $this->code = $code;
        $this->message = $message;
        $this->blocking = $blocking;
    }

    public function __toString(): string
    {
        return "{$this->product}/{$this->rule}: {$this->message}";
    }
}
