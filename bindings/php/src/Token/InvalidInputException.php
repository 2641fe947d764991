<?php

declare(strict_types=1);

namespace ZEGO\Token;

/**
 * A generator input breaks a rule (kind "invalid_input"; getField() names it), or a call
 * is wrong in a way the C library refuses (kind "invalid_argument").
 */
final class InvalidInputException extends TokenException
{
}
