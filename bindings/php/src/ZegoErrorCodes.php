<?php

declare(strict_types=1);

namespace ZEGO;

/**
 * The official generator's error codes, with the official names (drop-in).
 */
final class ZegoErrorCodes
{
    public const success = 0;
    public const appIDInvalid = 1;
    public const userIDInvalid = 3;
    public const secretInvalid = 5;
    public const effectiveTimeInSecondsInvalid = 6;
    /**
     * Not in the official token04 list, which checks no payload: the payload cannot be
     * carried (not UTF-8, or too large for the token's 16-bit length field). 4 is the
     * code ZEGO's token03 generators gave an invalid privilege payload.
     */
    public const payloadInvalid = 4;
}
