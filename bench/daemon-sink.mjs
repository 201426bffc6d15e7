// The benchmark's HTTP receiver: records when each sequence number first arrived and how often.
import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";

// The normalized event's top-level `command` comes before `attributes` (which repeats it), so the first match
// on a line is the event's own; indexOf is ~10x cheaper than JSON.parse per event at 10k events/s.
const COMMAND = '"command":"seq-';

/** Starts the sink on 127.0.0.1; `arrivals[seq]` is performance.now() of the first delivery, `counts[seq]` how many. */
export async function startBenchSink(capacity) {
  const arrivals = new Float64Array(capacity);
  const counts = new Uint16Array(capacity);
  const state = { requests: 0, events: 0, unknown: 0, lastArrival: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const now = performance.now();
      const raw = Buffer.concat(chunks);
      const body = (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
      state.requests++;
      let from = 0;
      for (;;) {
        const at = body.indexOf(COMMAND, from);
        if (at < 0) break;
        const start = at + COMMAND.length;
        const end = body.indexOf('"', start);
        const seq = Number(body.slice(start, end));
        const next = body.indexOf("\n", end);
        from = next < 0 ? body.length : next + 1;
        if (!Number.isInteger(seq) || seq <= 0 || seq >= capacity) {
          state.unknown++;
          continue;
        }
        if (counts[seq] === 0) arrivals[seq] = now;
        counts[seq]++;
        state.events++;
        state.lastArrival = now;
      }
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/ingest`,
    arrivals,
    counts,
    state,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
