<?php

declare(strict_types=1);

namespace ZEGO\Token;

/**
 * The two token04 cipher modes.
 */
final class CipherMode
{
    /** AES-256-GCM: authenticated, the default and ZEGO's recommended mode. */
    public const GCM = 'gcm';
    /** AES-256-CBC: legacy, unauthenticated (a holder can flip plaintext bits); only for peers that need it. */
    public const CBC = 'cbc';

    private function __construct()
    {
    }
}
