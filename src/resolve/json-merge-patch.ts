// RFC 7386 JSON Merge Patch, the way the kubelet applies `--config-dir` drop-ins
// (`jsonpatch.MergePatch` in kubernetes/kubernetes:cmd/kubelet/app/server.go).

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Apply `patch` to `target`: objects merge key by key, `null` deletes a key, anything else
 * (scalars, and lists as a whole) replaces. Neither argument is modified.
 */
export function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return patch;
  // A Map, not property assignment, so that a key named `__proto__` stays an ordinary key.
  const merged = new Map<string, JsonValue>(isJsonObject(target) ? Object.entries(target) : []);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) merged.delete(key);
    else merged.set(key, mergePatch(merged.get(key), value));
  }
  return Object.fromEntries<JsonValue>(merged);
}
