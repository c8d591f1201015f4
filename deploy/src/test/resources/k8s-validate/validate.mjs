// Validates every object of a multi-document YAML stream (stdin) against the Kubernetes OpenAPI schema of its
// apiVersion/kind, using the JSON-schema validators that kubernetes-models generates from the Kubernetes API.
// Prints one JSON line per object: {"apiVersion","kind","name","status":"valid"|"invalid"|"unknown","errors"}.
// "unknown": kubernetes-models has no schema for that kind (custom resources); the caller decides what that means.
import { parseAllDocuments } from "yaml";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const docs = parseAllDocuments(Buffer.concat(chunks).toString("utf8"));

for (const doc of docs) {
  if (doc.errors.length > 0) {
    console.log(JSON.stringify({ status: "invalid", errors: doc.errors.map((e) => e.message) }));
    continue;
  }
  const obj = doc.toJS();
  if (obj === null || obj === undefined) continue;
  const { apiVersion, kind } = obj;
  // kustomize wraps long base64 values over several lines; the API server's base64 decoder (Go's) skips line
  // breaks, the schema's "byte" format does not: compare them without the line breaks.
  if (apiVersion === "v1" && kind === "Secret" && obj.data) {
    for (const key of Object.keys(obj.data)) obj.data[key] = String(obj.data[key]).replace(/\s+/g, "");
  }
  const name = obj.metadata?.name ?? null;
  let Model;
  try {
    // Core kinds live under "v1", the others under "<group>/<version>", as in apiVersion.
    Model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch (e) {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    console.log(JSON.stringify({ apiVersion, kind, name, status: "unknown", errors: [] }));
    continue;
  }
  try {
    new Model(obj).validate();
    console.log(JSON.stringify({ apiVersion, kind, name, status: "valid", errors: [] }));
  } catch (e) {
    const errors = Array.isArray(e.errors)
      ? e.errors.map((x) => `${x.instancePath} ${x.message}`)
      : [String(e.message ?? e)];
    console.log(JSON.stringify({ apiVersion, kind, name, status: "invalid", errors }));
  }
}
