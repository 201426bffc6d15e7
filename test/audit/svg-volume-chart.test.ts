import assert from "node:assert/strict";
import { test } from "node:test";
import { bucketLabel, svgVolumeChart, volumeBuckets } from "../../src/audit/render/svg-volume-chart.js";
import { topCommands } from "../../src/audit/render/top-commands.js";

test("a bar per day over short spans, empty days included so that gaps show", () => {
  const { bucket, bars } = volumeBuckets([
    { day: "2025-11-01", count: 2 },
    { day: "2025-11-04", count: 5 },
  ]);
  assert.equal(bucket, "day");
  assert.deepEqual(
    bars.map((bar) => bar.count),
    [2, 0, 0, 5],
  );
});

test("weeks (from Monday) past three months, months past two years; counts are kept", () => {
  const weekly = volumeBuckets([
    { day: "2025-01-01", count: 1 },
    { day: "2025-01-05", count: 1 },
    { day: "2025-06-30", count: 3 },
  ]);
  assert.equal(weekly.bucket, "week");
  assert.equal(weekly.bars[0]?.start, "2024-12-30");
  assert.equal(weekly.bars[0]?.count, 2);
  assert.equal(
    weekly.bars.reduce((sum, bar) => sum + bar.count, 0),
    5,
  );
  const monthly = volumeBuckets([
    { day: "2020-06-15", count: 1 },
    { day: "2026-01-08", count: 4 },
  ]);
  assert.equal(monthly.bucket, "month");
  assert.equal(monthly.bars.length, 68);
  assert.deepEqual(
    [monthly.bars[0], monthly.bars[67]],
    [
      { start: "2020-06-01", count: 1 },
      { start: "2026-01-01", count: 4 },
    ],
  );
});

test("the chart is an escaped, self-contained SVG", () => {
  const svg = svgVolumeChart('<x">', [{ day: "2025-11-01", count: 3 }], "#123456");
  assert.ok(svg.startsWith('<svg class="chart" data-producer="&lt;x&quot;&gt;"'));
  assert.ok(!svg.includes("href"));
  assert.match(svg, /data-count="3"/);
});

test("the top commands per producer, with how many were left out", () => {
  const volume = {
    perDay: [],
    results: [],
    commands: [
      ...Array.from({ length: 20 }, (_, i) => ({
        producer: "tiup" as const,
        command: `cluster display c${i}`,
        count: 20 - i,
        errors: 0,
      })),
      { producer: "ticloud" as const, command: "ticloud-serverless-list", count: 3, errors: 1 },
    ],
  };
  const { rows, omitted } = topCommands(volume, 15);
  assert.equal(rows.length, 16);
  assert.deepEqual([...omitted], [["tiup", 5]]);
  assert.equal(bucketLabel("week", "2025-11-17"), "week of 2025-11-17");
  assert.equal(bucketLabel("month", "2025-11-01"), "2025-11");
});
