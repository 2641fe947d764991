// Validates ServiceMonitors (monitoring.coreos.com/v1, a CRD kubeconform has no schema
// for offline) against the Prometheus Operator's CRD schema as compiled by the npm
// package @kubernetes-models/prometheus-operator.
//
//   node servicemonitor.mjs NODE_MODULES_DIR FILE.json [--expect-invalid]
//
// FILE.json is an array of ServiceMonitor objects (check_manifests.py --servicemonitors).
// With --expect-invalid the exit status is 0 only if every object is refused (the CI
// part's proof that the validation is not vacuous). CRD schemas do not forbid unknown
// fields (the API server prunes them), so a misspelt key is caught by
// check_manifests.py's port and selector checks, not here; types, enums and required
// fields are checked here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, file, flag] = process.argv.slice(2);
const expectInvalid = flag === "--expect-invalid";
const { ServiceMonitor } = await import(
  pathToFileURL(join(modules, "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor.js")).href
);
const objects = JSON.parse(readFileSync(file, "utf8"));
if (!Array.isArray(objects) || objects.length === 0) {
  console.error(`servicemonitor: ${file} holds no ServiceMonitor`);
  process.exit(1);
}
let invalid = 0;
for (const obj of objects) {
  try {
    new ServiceMonitor(obj).validate();
    if (expectInvalid) console.error(`servicemonitor: ${obj.metadata?.name} passed but should not`);
  } catch (e) {
    invalid++;
    if (!expectInvalid) console.error(`servicemonitor: ${obj.metadata?.name}: ${e.message}`);
  }
}
const ok = expectInvalid ? invalid === objects.length : invalid === 0;
console.log(`servicemonitor: ${objects.length - invalid} valid, ${invalid} invalid${expectInvalid ? " (expected invalid)" : ""}`);
process.exit(ok ? 0 : 1);
