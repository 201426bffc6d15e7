import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { DETECTORS } from "../../src/redact/detectors/index.js";
import { findMatches } from "../../src/redact/find-matches.js";

const found = (text: string, key = "value") =>
  findMatches(text, key, DETECTORS).map((m) => [m.detector.id, m.found, m.detector.mask(m.found)]);

test("finds each kind of personal data and secret, masked", () => {
  assert.deepEqual(found("mail bob.lee+ci@corp.example.org now"), [
    ["email", "bob.lee+ci@corp.example.org", "b***@corp.example.org"],
  ]);
  assert.deepEqual(found("from 192.168.10.4"), [["ip-address", "192.168.10.4", "192.*.*.*"]]);
  assert.deepEqual(found("peer [2001:db8::8a2e:370:7334]:4000"), [
    ["ip-address", "2001:db8::8a2e:370:7334", "2001:***"],
  ]);
  assert.deepEqual(found("dial tidb-1.prod.acme.com:4000"), [["hostname", "tidb-1.prod.acme.com", "t***.com"]]);
  assert.deepEqual(found("host: build-box-7\nport: 4000"), [["hostname", "build-box-7", "b***"]]);
  assert.deepEqual(found("ws-17", "hostname"), [["hostname", "ws-17", "w***"]]);
  assert.deepEqual(found("/Users/bob/Library/x"), [["home-path", "/Users/bob", "/Users/b***"]]);
  assert.deepEqual(found("hunter2hunter2", "password"), [["api-key", "hunter2hunter2", "hu***"]]);
  assert.deepEqual(found("xoxb-1234567890-abcdefghij"), [["api-key", "xoxb-1234567890-abcdefghij", "xo***"]]);
  assert.deepEqual(found("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), [
    ["aws-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJal***"],
  ]);
  assert.deepEqual(found("at /clusters/1379661944646413143: denied", "error"), [
    ["error-identifier", "1379661944646413143", "1***"],
  ]);
});

test("a more specific detector wins over an overlapping one", () => {
  assert.deepEqual(
    found("alice@db.acme.io").map(([id]) => id),
    ["email"],
  );
  assert.deepEqual(
    found("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").map(
      ([id]) => id,
    ),
    ["jwt"],
  );
});

test("no false positive on the values telemetry legitimately carries", () => {
  const clean = [
    "3f1c2a9e-7b4d-4e1a-9c55-0d6e2b8f41a7",
    "cluster_5d41402abc4b2a76b9719d911017c592",
    "cluster display cluster_5d41402abc4b2a76b9719d911017c592",
    "9e8f2c0d1b7a64e35f0c2d9b8a1e4f6c7d3b2a10",
    "1.0.0-beta.7",
    "7.9.2009 (Core) build 3.10.0-1160.el7.x86_64",
    "20.04.4 LTS (Focal Fossa) build 5.13.0-41-generic",
    "/dev/vda",
    "/dev/nvme0n1",
    "Intel(R) Xeon(R) Platinum 8269CY CPU @ 2.50GHz",
    "11th Gen Intel(R) Core(TM) i7-1160G7 @ 1.20GHz",
    "Available: 21.3 GiB/31.2 GiB",
    "trkid_7178a3d8-da26-41ca-a7a3-00e165877bda",
    "appid_application_1652689501234_0007",
    "2023-02-03T09:33:49.384304+08:00",
    "global:\n  deploy_dir: 2b1e9f0c7d4a6e3b8c5f1a0d9e7b6c4a\nserver_configs:\n  tikv:\n    storage.block-cache.capacity: _\n  tidb:\n    log.slow-threshold: 0\n",
    'host: 6f1ed002ab5595859014ebf0951522d9\nmode: tidb\ntag: ""\n',
    "api_key",
    "ServerlessService_GetCluster",
    'Post "https://telemetry.pingcap.com/api/v1/ticloud/report": context deadline exceeded',
    "deb\n",
    "go1.19.2",
    "127.0.0.1",
  ];
  for (const text of clean) assert.deepEqual(found(text), [], text);
  assert.deepEqual(found("[GET /v1beta1/clusters/{clusterId}][403] default  &{Code:<nil> Details:[]}", "error"), []);
  assert.deepEqual(found("Code:49900003 Details:[] Message:not valid: 12", "error"), []);
  assert.deepEqual(found("auth_method"), []);
  assert.deepEqual(found("refresh failed: token: expired, secret=missing"), []);
  assert.deepEqual(
    found("login with pwd=changeme").map(([id]) => id),
    ["api-key"],
  );
});

test("every detector has a unique kebab-case id, a severity and a description", () => {
  const ids = DETECTORS.map((d) => d.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const detector of DETECTORS) {
    assert.match(detector.id, /^[a-z]+(?:-[a-z]+)*$/);
    assert.ok(["low", "medium", "high"].includes(detector.severity));
    assert.ok(detector.description.length > 10);
  }
});

test("random ids, digests and versions of the kinds telemetry carries are never findings", () => {
  const hex = (length: number) =>
    fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });
  const version = fc
    .tuple(fc.nat(30), fc.nat(30), fc.nat(3000), fc.constantFrom("", "-beta.7", "-SNAPSHOT", "-nightly"))
    .map(([a, b, c, suffix]) => `${a}.${b}.${c}${suffix}`);
  const value = fc.oneof(
    fc.uuid(),
    hex(32).map((md5) => `cluster_${md5}`),
    hex(32).map((md5) => `host: ${md5}\nport: 4000\n`),
    hex(40),
    version,
    version.map((v) => `v${v}`),
    fc.uuid().map((id) => `trkid_${id}`),
    fc.nat().map((n) => `appid_application_${n}_0007`),
    fc.nat({ max: 40 }).map((n) => `/dev/nvme${n}n1`),
  );
  fc.assert(
    fc.property(value, (text) => {
      assert.deepEqual(found(text), [], text);
    }),
    { numRuns: 2000 },
  );
});
