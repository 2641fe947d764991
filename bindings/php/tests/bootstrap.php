<?php

declare(strict_types=1);

// Loads the package the way its user does: ZEGO_TOKEN_AUTOLOAD names the vendor/autoload.php
// of a project that installed it with Composer; without it, the package's own PSR-4
// loader (auto_loader.php) stands in.
$autoload = getenv('ZEGO_TOKEN_AUTOLOAD');
require $autoload !== false && $autoload !== '' ? $autoload : __DIR__ . '/../auto_loader.php';
require_once __DIR__ . '/../bench/OfficialToken04.php';
require_once __DIR__ . '/Vectors.php';
