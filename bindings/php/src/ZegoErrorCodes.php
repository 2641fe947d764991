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
}
