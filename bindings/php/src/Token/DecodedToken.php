<?php

declare(strict_types=1);

namespace ZEGO\Token;

use FFI\CData;

/**
 * A token decrypted with its secret: every claim, the IV and the parsed room privileges.
 */
final class DecodedToken
{
    /** @var int */
    public $appId;
    /** @var string */
    public $userId;
    /** @var int creation time, Unix seconds */
    public $ctime;
    /** @var int expiry time, Unix seconds */
    public $expire;
    /** @var int the claims nonce */
    public $nonce;
    /** @var string the payload text, '' for a basic token */
    public $payload;
    /** @var string CipherMode::GCM or CipherMode::CBC */
    public $mode;
    /** @var string the IV (CBC, 16 bytes) or GCM nonce (12 bytes), binary */
    public $iv;
    /** @var int the header's unauthenticated copy of expire */
    public $headerExpire;
    /** @var RoomPrivileges|null set when the payload is a room privilege document */
    public $room;
    /** @var list<SdkWarning> SDK rules the claims break */
    public $warnings;

    private function __construct()
    {
    }

    /**
     * Copies a ZegoTokenDecoded* into PHP values and frees it.
     *
     * @internal
     */
    public static function take(CData $d): self
    {
        try {
            $self = new self();
            $self->appId = (int) $d->app_id;
            $self->userId = Native::str($d->user_id);
            $self->ctime = (int) $d->ctime;
            $self->expire = (int) $d->expire;
            $self->nonce = (int) $d->nonce;
            $self->payload = Native::str($d->payload);
            $self->mode = Native::modeName((int) $d->mode);
            $self->iv = $d->iv_len === 0 ? '' : \FFI::string($d->iv, $d->iv_len);
            $self->headerExpire = (int) $d->header_expire;
            $self->room = null;
            if ($d->payload_kind === Native::PAYLOAD_ROOM && $d->room !== null) {
                $r = $d->room;
                $streams = null;
                if ($r->has_stream_list !== 0) {
                    $streams = [];
                    for ($i = 0; $i < $r->stream_count; $i++) {
                        $streams[] = Native::str($r->stream_ids[$i]);
                    }
                }
                $self->room = new RoomPrivileges(Native::str($r->room_id), $r->can_login !== 0, $r->can_publish !== 0, $streams);
            }
            $self->warnings = $d->warning_count === 0 ? [] : Native::warnings($d->warnings, (int) $d->warning_count);
            return $self;
        } finally {
            Native::$ffi->zego_token_decoded_free($d);
        }
    }
}
