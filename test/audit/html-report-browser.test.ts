import assert from "node:assert/strict";
import { copyFileSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import puppeteer, { type Browser } from "puppeteer-core";
import { renderReport } from "../../src/audit/render-report.js";
import { runAudit } from "../../src/audit/run-audit.js";
import { REPO } from "../helpers/run-cli.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { readLogs } from "./read-fixture.js";

// A real browser (Debian's chromium; CI's .ci/run installs it). UPDATE_SCREENSHOT=1 refreshes the README's image.
const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];
let browser: Browser;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
});
after(async () => {
  await browser?.close();
});

async function writeReport(dir: string) {
  process.chdir(REPO);
  const names = [
    "email",
    "api-key",
    "home-path",
    "ip-address",
    "undocumented-field",
    "telemetry-old-default",
    "volume-anomaly",
    "parse-health",
  ];
  const paths = names.map((name) => join("fixtures", "audit", `${name}.log`));
  const { events, malformed } = await readLogs(paths);
  const report = runAudit(events, malformed, { policy: { tispark: "forbidden" }, inputs: paths });
  const file = join(dir, "audit.html");
  writeFileSync(file, renderReport(report, "html"));
  return { report, file };
}

test("the HTML report renders in headless Chromium: findings rows, a chart per producer, the field inventory", async () => {
  const dir = tmpDir();
  const { report, file } = await writeReport(dir);
  const page = await browser.newPage();
  const outside: string[] = [];
  const problems: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith("file:")) outside.push(request.url());
  });
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(String(error)));
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });

  assert.equal(await page.title(), "teletap audit report");
  const rows = await page.$$eval("#findings tr.finding", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")),
  );
  assert.equal(rows.length, report.findings.length);
  assert.ok(
    rows.some((cells) => cells[1] === "email" && cells[4] === "a***@example.com" && cells[5]?.includes("email.log:1")),
  );
  assert.ok(rows.some((cells) => cells[0] === "high" && cells[1] === "telemetry-policy"));

  const charts = await page.$$eval("svg.chart", (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const bars = [...svg.querySelectorAll("rect.bar")].filter((bar) => bar.getBoundingClientRect().height > 0);
      const total = [...svg.querySelectorAll("rect.bar")].reduce(
        (sum, bar) => sum + Number(bar.getAttribute("data-count")),
        0,
      );
      return {
        producer: svg.getAttribute("data-producer"),
        width: box.width,
        height: box.height,
        bars: bars.length,
        total,
      };
    }),
  );
  assert.deepEqual(
    charts.map((chart) => chart.producer),
    ["ticloud", "tiup", "tispark"],
  );
  for (const chart of charts) {
    assert.ok(chart.width > 300 && chart.height > 100, JSON.stringify(chart));
    assert.ok(chart.bars > 0, JSON.stringify(chart));
  }
  for (const status of report.telemetry) {
    assert.equal(charts.find((chart) => chart.producer === status.producer)?.total, status.count, "the bars add up");
  }

  const fields = await page.$$eval("#fields tr.undocumented td:nth-child(2)", (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(fields.sort(), ["hardware.serial", "properties.cluster_name"]);
  assert.equal((await page.$$eval("#fields tr.documented", (trs) => trs.length)) > 20, true);
  const cards = await page.$eval("#summary", (el) => el.textContent ?? "");
  assert.match(cards, /events/);

  assert.deepEqual(outside, [], "the report fetched nothing from the network");
  assert.deepEqual(problems, []);

  const shot = join(dir, "audit-report.png");
  // The README's picture: from the summary down to the charts (the inventory below is long).
  const bottom = await page.$eval("#charts", (el) => el.getBoundingClientRect().bottom);
  await page.screenshot({ path: shot, clip: { x: 0, y: 0, width: 1200, height: Math.ceil(bottom) + 24 } });
  if (process.env.UPDATE_SCREENSHOT === "1") copyFileSync(shot, join(REPO, "docs", "audit-report.png"));
  await page.close();
});
