<?php

declare(strict_types=1);

namespace ZEGO\Token;

/**
 * A token was refused: it is not a token04, cannot be decrypted with the secret, or
 * fails an expectation of verify(). getZegoCode()/getZimCode() give the code ZEGO's SDKs
 * would report for the same token.
 */
final class InvalidTokenException extends TokenException
{
}
