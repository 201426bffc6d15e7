// The engine alone, in-process, no output: `node bench/engine-scan.mjs FILE one|halves RUNS` prints
// {"seconds":best,"events":n}. Separates the scan from the CLI's start-up and output formatting.
import { closeSync, fstatSync, openSync } from "node:fs";
import { Extractor } from "../dist/engine/extractor.js";
import { scanInHalves } from "../dist/engine/scan-in-halves.js";
import { scanPlainFile } from "../dist/sources/scan-input.js";

const [path, mode = "one", runs = "3"] = process.argv.slice(2);

async function once() {
  let events = 0;
  const options = { path, onEvent: () => events++, onMalformed: () => {} };
  const fd = openSync(path, "r");
  const started = performance.now();
  try {
    if (mode === "halves" && (await scanInHalves(fd, fstatSync(fd).size, options))) {
      return { seconds: (performance.now() - started) / 1000, events };
    }
    const extractor = new Extractor(options);
    scanPlainFile(fd, fstatSync(fd).size, extractor);
    extractor.scanner.finish();
    return { seconds: (performance.now() - started) / 1000, events };
  } finally {
    closeSync(fd);
  }
}

let best = null;
for (let i = 0; i < Number(runs); i++) {
  const result = await once();
  if (best === null || result.seconds < best.seconds) best = result;
}
process.stdout.write(`${JSON.stringify(best)}\n`);
