import assert from "node:assert/strict";
import { test } from "node:test";
import { ReadLoop } from "../../src/sources/file/read-loop.js";

test("timers and I/O callbacks run between read turns, even while turns never wait on I/O", async () => {
  const files = Array.from({ length: 50 }, (_, i) => ({ path: `app-${i}.log` }));
  let turns = 0;
  let between = 0;
  let atFirstTurn = 0;
  let finish: () => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // Turns that settle in microtasks, as a tailer turn on cached data with room in the queues does.
  const loop = new ReadLoop<{ path: string }>({
    sync: async () => {},
    turn: async () => {
      if (++turns === 1) atFirstTurn = between;
      if (turns === files.length) finish();
    },
    onError: (error) => fail(error),
  });
  const probe = () => {
    between++;
    if (turns < files.length) setImmediate(probe);
  };
  loop.start();
  for (const file of files) loop.markReady(file);
  setImmediate(probe);
  await done;
  await loop.stop();
  // One probe per turn at best; far fewer means the loop held the event loop through the backlog.
  const during = between - atFirstTurn;
  assert.ok(during >= files.length / 2, `the event loop ran only ${during} times over ${turns} turns`);
});
