import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { routeConfigSchema } from "../../src/pipeline/route-config.js";
import { Router } from "../../src/pipeline/router.js";
import { makeEvent, makeEvents } from "../helpers/make-event.js";

const seqs = (events: { attributes: Record<string, unknown> }[] | undefined) =>
  (events ?? []).map((event) => event.attributes.seq);

describe("router", () => {
  it("sends a source's events to every sink that lists it in inputs", () => {
    const router = new Router({ a: { inputs: ["logs"] }, b: { inputs: ["logs", "other"] }, c: { inputs: ["other"] } });
    const routed = router.route("logs", makeEvents(2));
    assert.deepEqual([...routed.keys()], ["a", "b"]);
    assert.deepEqual(router.route("nobody", makeEvents(1)).size, 0);
  });

  it("splits CN and US events between two collectors; an unrouted sink still gets everything", () => {
    const routes = {
      cn: routeConfigSchema.parse({ when: { field: "attributes.properties.region", equals: "cn" }, sinks: ["cn"] }),
      us: routeConfigSchema.parse({
        when: { field: "attributes.properties.region", equals: "cn", negate: true },
        sinks: ["us"],
      }),
    };
    const router = new Router(
      { cn: { inputs: ["logs"] }, us: { inputs: ["logs"] }, store: { inputs: ["logs"] } },
      routes,
    );
    const routed = router.route("logs", makeEvents(4));
    assert.deepEqual(seqs(routed.get("cn")), [0, 2]);
    assert.deepEqual(seqs(routed.get("us")), [1, 3]);
    assert.deepEqual(seqs(routed.get("store")), [0, 1, 2, 3]);
  });

  it("supports oneOf, matches, exists and all-of lists of conditions", () => {
    const route = (when: unknown) => ({ r: routeConfigSchema.parse({ when, sinks: ["s"] }) });
    const route4 = (when: unknown) =>
      seqs(new Router({ s: { inputs: ["l"] } }, route(when)).route("l", makeEvents(4)).get("s"));
    assert.deepEqual(route4({ field: "attributes.seq", oneOf: [1, 3] }), [1, 3]);
    assert.deepEqual(route4({ field: "command", matches: "^ticloud " }), [0, 1, 2, 3]);
    assert.deepEqual(route4({ field: "telemetryId", exists: true }), []);
    assert.deepEqual(
      route4([
        { field: "attributes.properties.region", equals: "us" },
        { field: "attributes.seq", equals: 3 },
      ]),
      [3],
    );
  });

  it("reaches a key holding dots (TiSpark's configuration), quoted or written as is", () => {
    const tispark = (seq: number, auth: boolean) =>
      makeEvent(seq, { producer: "tispark", attributes: { seq, configuration: { "spark.sql.auth.enable": auth } } });
    const events = [tispark(0, true), tispark(1, false), tispark(2, true)];
    const route = (field: string) => ({ r: routeConfigSchema.parse({ when: { field, equals: true }, sinks: ["s"] }) });
    for (const field of [
      'attributes.configuration["spark.sql.auth.enable"]',
      "attributes.configuration['spark.sql.auth.enable']",
      "attributes.configuration.spark.sql.auth.enable",
    ]) {
      const routed = new Router({ s: { inputs: ["l"] } }, route(field)).route("l", events);
      assert.deepEqual(seqs(routed.get("s")), [0, 2], field);
    }
  });
});
