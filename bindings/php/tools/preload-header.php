<?php

declare(strict_types=1);

/**
 * Prints the package's C declarations as a header for PHP's ffi.preload, naming the
 * scope ZEGO_TOKEN and the library to load. With it, PHP loads the declarations once at
 * startup (no parsing per request) and FFI works under ffi.enable=preload (PHP-FPM's
 * default); the package finds the scope by itself.
 *
 * Usage: php tools/preload-header.php /usr/local/lib/libzego_token_ffi.so > /etc/php/zego_token.h
 *        then in php.ini: ffi.preload=/etc/php/zego_token.h
 */
if ($argc !== 2) {
    fwrite(STDERR, "usage: php preload-header.php /path/to/libzego_token_ffi.so\n");
    exit(2);
}
if (strpbrk($argv[1], "\"\n") !== false) {
    fwrite(STDERR, "preload-header.php: the library path must not contain a quote or a line break\n");
    exit(2);
}
echo '#define FFI_SCOPE "ZEGO_TOKEN"', "\n", '#define FFI_LIB "', $argv[1], '"', "\n";
readfile(__DIR__ . '/../src/Token/zego_token.h');
