// The Express and ZIM packages ship CommonJS/UMD bundles that `require` their
// dependencies (long, protobufjs, localforage, zego-express-logger); an app's bundler
// links them. For the test page, this runs each bundle unmodified with a `module`,
// `exports` and `require` of its own, as a bundler would.
window.cjsModules = {};
window.loadCjs = async function loadCjs(name, url) {
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(`${url}: ${resp.status}`);
  const source = `${await resp.text()}\n//# sourceURL=${new URL(url, location.href)}`;
  const module = { exports: {} };
  const require = (dep) => {
    if (!(dep in window.cjsModules)) throw new Error(`${name} requires ${dep}, not loaded`);
    return window.cjsModules[dep];
  };
  new Function('module', 'exports', 'require', source)(module, module.exports, require);
  window.cjsModules[name] = module.exports;
  return module.exports;
};
