<?php

// The loader ZEGO's samples require ('../auto_loader.php'), for use without Composer:
// maps the ZEGO\ namespace to src/ as composer.json's PSR-4 entry does.
spl_autoload_register(static function (string $class): void {
    if (strncmp($class, 'ZEGO\\', 5) !== 0) {
        return;
    }
    $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, 5)) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
