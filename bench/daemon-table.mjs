// The daemon benchmark's markdown table: teletap's figures beside Fluent Bit's, with the issue's targets.

/** Fluent Bit v5.1.1 on the same machines, same writer and sink: /work/shared/docs/peers.md (medians of 3 x 60 s). */
const FLUENT_BIT = {
  flush1s: { cpu: 0.068, rssMiB: 24, p50: 515, p99: 1004 },
  flush200ms: { cpu: 0.0735, rssMiB: 24, p50: 103, p99: 196 },
  idleCpu: 0.0067,
  idleFds: 1062,
};

const pct = (x) => `${(x * 100).toFixed(2)}%`;
const ms = (x) => `${Math.round(x)} ms`;
const ratio = (a, b) => (Number.isFinite(a) && b ? `${(a / b).toFixed(2)}x` : "-");

/** The figures as a markdown table next to Fluent Bit's, with the issue's targets. */
export function daemonTable(f, o) {
  const fb = o.maxWaitMs <= 200 ? FLUENT_BIT.flush200ms : FLUENT_BIT.flush1s;
  const fbFlush = o.maxWaitMs <= 200 ? "0.2 s flush" : "1 s flush";
  const rows = [
    ["figure", "teletap", `Fluent Bit (${fbFlush})`, "teletap / Fluent Bit", "target"],
    ["---", "---:", "---:", "---:", "---"],
    [`CPU, share of one core at ${o.rate} events/s`, pct(f.cpuShare), pct(fb.cpu), ratio(f.cpuShare, fb.cpu), "<= 10%"],
    [
      "peak RSS (VmHWM) at that rate",
      `${f.rssMiB.toFixed(1)} MiB`,
      `${fb.rssMiB} MiB`,
      ratio(f.rssMiB, fb.rssMiB),
      "<= 100 MiB",
    ],
    ["append -> delivered p50", ms(f.p50), ms(fb.p50), ratio(f.p50, fb.p50), ""],
    ["append -> delivered p99", ms(f.p99), ms(fb.p99), ratio(f.p99, fb.p99), "< 250 ms"],
    ["seconds whose p99 > 250 ms", `${f.slowSeconds} of ${o.seconds}`, "-", "", "0"],
    ["lost / duplicated", `${f.lost} / ${f.duplicated} of ${f.events}`, "0 / 0 of 600,000", "", "0 / 0"],
    [
      "max sustained events/s (burst drain)",
      Number.isFinite(f.maxRate) ? Math.round(f.maxRate).toLocaleString("en-US") : "did not drain",
      "-",
      "",
      "",
    ],
    ["peak RSS after the burst", `${f.burstRssMiB.toFixed(1)} MiB`, "-", "", ""],
    [
      `idle CPU, ${o.idleFiles} watched files`,
      pct(f.idleCpu),
      pct(FLUENT_BIT.idleCpu),
      ratio(f.idleCpu, FLUENT_BIT.idleCpu),
      "< 1%",
    ],
    [`RSS idle, ${o.idleFiles} watched files`, `${f.idleRssMiB.toFixed(1)} MiB`, "-", "", ""],
    [
      `open descriptors, ${o.idleFiles} idle files`,
      String(f.idleFds),
      String(FLUENT_BIT.idleFds),
      ratio(f.idleFds, FLUENT_BIT.idleFds),
      "",
    ],
  ];
  const head = `Daemon, ${o.rate} events/s over ${o.files} files (a write per file every ${o.tickMs} ms) for ${o.seconds} s after ${o.warmup} s warm-up, batch maxWaitMs ${o.maxWaitMs}, node ${process.version}\n\n`;
  return `${head}${rows.map((row) => `| ${row.join(" | ")} |`).join("\n")}\n`;
}
