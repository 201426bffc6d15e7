import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { HttpSink } from "../../src/sinks/http/http-sink.js";
import { httpSinkConfigSchema } from "../../src/sinks/http/http-sink-config.js";
import { startServer } from "../helpers/http-server.js";
import { makeEvents } from "../helpers/make-event.js";
import { tmpDir } from "../helpers/tmp-dir.js";

/** A self-signed certificate for 127.0.0.1, made with the system's openssl for this test only. */
function selfSigned(dir: string): { key: string; cert: string } {
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdio: "ignore" },
  );
  return { key, cert };
}

describe("http sink over TLS", async () => {
  const dir = tmpDir();
  const files = selfSigned(dir);
  const plain = await startServer();
  after(() => plain.close());
  let requests = 0;
  const server = createServer({ key: readFileSync(files.key), cert: readFileSync(files.cert) }, (req, res) => {
    requests++;
    req.resume();
    const moved = req.url === "/moved" ? { location: `${plain.url}/ingest` } : undefined;
    req.on("end", () => res.writeHead(moved ? 308 : 200, moved).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `https://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const sink = (tls: Record<string, unknown>) =>
    new HttpSink("s", httpSinkConfigSchema.parse({ type: "http", inputs: ["l"], url, tls }), (p) => join(dir, p));

  it("verifies the certificate by default: an unknown CA is a retry, never a silent send", async () => {
    const result = await sink({}).send(makeEvents(1));
    assert.equal(result.kind, "retry");
    assert.match(result.kind === "retry" ? result.reason : "", /SELF_SIGNED|self[- ]signed/i);
    assert.equal(requests, 0);
  });

  it("trusts a CA given in caFile (relative to the config), or none with verify: false", async () => {
    assert.deepEqual(await sink({ caFile: "cert.pem" }).send(makeEvents(1)), { kind: "ok" });
    assert.deepEqual(await sink({ verify: false }).send(makeEvents(1)), { kind: "ok" });
    assert.equal(requests, 2);
  });

  it("does not follow a 308 from https to plain http, where the token and events would travel in clear", async () => {
    const result = await new HttpSink(
      "s",
      httpSinkConfigSchema.parse({
        type: "http",
        inputs: ["l"],
        url: `${url}moved`,
        tls: { caFile: "cert.pem" },
        auth: { strategy: "bearer", token: "t0ken" },
      }),
      (p) => join(dir, p),
    ).send(makeEvents(1));
    assert.equal(result.kind, "drop");
    assert.match(result.kind === "drop" ? result.reason : "", /^HTTP 308: .*leaves https for plain http/);
    assert.equal(plain.requests.length, 0);
  });
});
