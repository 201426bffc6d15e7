import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { FILE_SOURCE_DEFAULTS, fileSourceConfigSchema } from "../../src/sources/file/file-source-config.js";

test("fills every default from a config that names only its globs", () => {
  const config = fileSourceConfigSchema.parse({ type: "file", include: ["logs/*.log"] });
  assert.deepEqual(config, { type: "file", include: ["logs/*.log"], exclude: [], ...FILE_SOURCE_DEFAULTS });
});

test("rejects unknown keys and reports every problem with its path", () => {
  const result = fileSourceConfigSchema.safeParse({ type: "file", include: [], readFrom: "middle", follow: true });
  assert.equal(result.success, false);
  const paths = result.error?.issues.map((issue) => issue.path.join(".")).sort();
  assert.deepEqual(paths, ["", "include", "readFrom"]);
});

test("documents every field in the JSON Schema", () => {
  const schema = z.toJSONSchema(fileSourceConfigSchema) as { properties: Record<string, { description?: string }> };
  for (const [name, property] of Object.entries(schema.properties)) {
    assert.ok(property.description, `${name} has no description`);
  }
});
