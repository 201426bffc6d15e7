import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { TeletapError } from "../../src/errors.js";
import { CheckpointStore, type FileCheckpoint } from "../../src/sources/file/checkpoint-store.js";
import { tmpDir } from "../helpers/tmp-dir.js";

const entry: FileCheckpoint = {
  key: "2049:1234",
  path: "/var/log/app.log",
  offset: 4096,
  line: 40,
  headLength: 1024,
  headHash: "a".repeat(32),
  tailHash: "b".repeat(32),
};

test("no checkpoint file means the very first start", async () => {
  assert.equal(await new CheckpointStore(join(tmpDir(), "none.json"), "logs").load(), null);
});

test("saves and loads positions by dev:inode, leaving no temp file behind", async () => {
  const dir = tmpDir();
  const store = new CheckpointStore(join(dir, "checkpoint.json"), "logs");
  await store.save([entry]);
  assert.deepEqual(await store.load(), new Map([[entry.key, { ...entry, version: 2 }]]));
  assert.deepEqual(readdirSync(dir), ["checkpoint.json"]);
  const state = JSON.parse(readFileSync(join(dir, "checkpoint.json"), "utf8"));
  assert.deepEqual(state, { version: 2, sourceId: "logs", files: [entry] });
});

test("creates the checkpoint's directory when it is missing", async () => {
  const path = join(tmpDir(), "checkpoints", "logs.json");
  await new CheckpointStore(path, "logs").save([entry]);
  assert.deepEqual(await new CheckpointStore(path, "logs").load(), new Map([[entry.key, { ...entry, version: 2 }]]));
});

test("loads a version 1 checkpoint, each position marked as written by that version", async () => {
  const path = join(tmpDir(), "checkpoint.json");
  writeFileSync(path, JSON.stringify({ version: 1, sourceId: "logs", files: [entry] }));
  assert.deepEqual(await new CheckpointStore(path, "logs").load(), new Map([[entry.key, { ...entry, version: 1 }]]));
});

test("refuses a checkpoint of another version rather than guessing", async () => {
  const path = join(tmpDir(), "checkpoint.json");
  writeFileSync(path, JSON.stringify({ version: 3, sourceId: "logs", files: [] }));
  await assert.rejects(new CheckpointStore(path, "logs").load(), (error: unknown) => {
    assert.ok(error instanceof TeletapError);
    assert.equal(error.code, "E_STATE");
    return true;
  });
});
