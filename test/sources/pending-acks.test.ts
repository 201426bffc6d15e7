import assert from "node:assert/strict";
import { test } from "node:test";
import { type FilePosition, PendingAcks } from "../../src/sources/file/pending-acks.js";

const at = (offset: number): FilePosition => ({
  offset,
  line: offset + 1,
  fingerprint: { headLength: 0, headHash: "", tailHash: "" },
});

test("the acked position waits for every earlier batch, whatever order the acks come in", () => {
  let advances = 0;
  const acks = new PendingAcks(at(0), () => advances++);
  const first = acks.add(at(10));
  const second = acks.add(at(20));
  const third = acks.add(at(30));
  third();
  second();
  assert.equal(acks.acked.offset, 0);
  assert.equal(advances, 0);
  first();
  assert.equal(acks.acked.offset, 30);
  assert.equal(acks.pending, 0);
  assert.equal(advances, 1);
});

test("acking a batch twice changes nothing", () => {
  const acks = new PendingAcks(at(0), () => {});
  const first = acks.add(at(10));
  acks.add(at(20));
  first();
  first();
  assert.equal(acks.acked.offset, 10);
  assert.equal(acks.pending, 1);
});

test("a position that needs no ack still waits behind un-acked batches", () => {
  const acks = new PendingAcks(at(0), () => {});
  const batch = acks.add(at(10));
  acks.reached(at(0));
  assert.equal(acks.acked.offset, 0);
  batch();
  // The truncation's restart at byte 0 comes after the batch cut before it.
  assert.equal(acks.acked.offset, 0);
  assert.equal(acks.pending, 0);
});
