#!/usr/bin/env bash
# PHP package (bindings/php) over the C ABI library that 20-ffi.sh builds: php -l on
# every file, a Composer install into a fresh project (a path repository; Packagist is
# switched off, so no network), PHPUnit against the installed copy (vectors, drop-in,
# ZEGO's samples, idiomatic API, secrets), plain and under valgrind, the README example
# in that project (with ZEGO_TOKEN_LIB and with ffi.preload), and a short benchmark
# against plain PHP.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=.ci/lib.sh
. .ci/lib.sh

step "php: PHP with FFI, PHPUnit and Composer from Debian"
apt_need php-cli phpunit composer valgrind
php -r 'exit(extension_loaded("ffi") ? 0 : 1);' || { echo "PHP's FFI extension is missing" >&2; exit 1; }

lib="$PWD/target/release/libzego_token_ffi.so"
if [ ! -f "$lib" ]; then
  step "php: build the C ABI library (20-ffi.sh did not run)"
  cargo build --release --locked -p zego-token-ffi
fi
export ZEGO_TOKEN_LIB="$lib"

step "php: php -l on every file"
find bindings/php -name '*.php' -not -path '*/vendor/*' -print0 | xargs -0 -n1 php -l >/dev/null

step "php: composer install of the package into a fresh project"
project="$(mktemp -d)"
trap 'rm -rf "$project"' EXIT
cat >"$project/composer.json" <<JSON
{
    "name": "example/app",
    "require": {"zego-token/server-assistant": "@dev"},
    "repositories": [
        {"type": "path", "url": "$PWD/bindings/php", "options": {"symlink": false}},
        {"packagist.org": false}
    ]
}
JSON
(cd "$project" && COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_HOME="$project/.composer" \
  composer install --no-interaction --no-progress)
test -f "$project/vendor/zego-token/server-assistant/src/ZegoServerAssistant.php"

step "php: PHPUnit against the installed package"
ZEGO_TOKEN_AUTOLOAD="$project/vendor/autoload.php" phpunit -c bindings/php/phpunit.xml.dist

step "php: PHPUnit again under valgrind (every FFI buffer and free checked)"
# USE_ZEND_ALLOC=0: PHP's own allocator would hide its blocks from memcheck. pcre.jit=0:
# PCRE's JIT code reads past the end of subject strings by design (valgrind reports it).
ZEGO_TOKEN_AUTOLOAD="$project/vendor/autoload.php" USE_ZEND_ALLOC=0 \
  valgrind --error-exitcode=9 --leak-check=no -q php -d pcre.jit=0 "$(command -v phpunit)" -c bindings/php/phpunit.xml.dist

step "php: the README example in the fresh project"
awk '/^```php$/ {on = 1; next} on && /^```$/ {exit} on {print}' bindings/php/README.md >"$project/example.php"
(cd "$project" && php example.php)

step "php: the README example with ffi.preload and no ZEGO_TOKEN_LIB"
php "$project/vendor/zego-token/server-assistant/tools/preload-header.php" "$lib" >"$project/zego_token.h"
(cd "$project" && env -u ZEGO_TOKEN_LIB php -d ffi.preload="$project/zego_token.h" example.php)

step "php: benchmark (short; the README's figures come from --seconds 2)"
ZEGO_TOKEN_AUTOLOAD="$project/vendor/autoload.php" php bindings/php/bench/bench.php --seconds 0.5 --rounds 3
