import type { MetricDef } from "./metric-names.js";

/** A minimal Prometheus registry: counters and gauges with labels, rendered in the text exposition format. */
type Labels = Record<string, string>;

interface Family {
  type: "counter" | "gauge";
  help: string;
  values: Map<string, { labels: Labels; value: number }>;
}

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}="${String(labels[key]).replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')}"`)
    .join(",");
}

export class Metrics {
  private readonly families = new Map<string, Family>();

  private family(name: string, type: Family["type"], help: string): Family {
    let family = this.families.get(name);
    if (!family) {
      family = { type, help, values: new Map() };
      this.families.set(name, family);
    }
    return family;
  }

  /** Adds to a counter (`teletap_..._total`). */
  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const family = this.family(name, "counter", help);
    const key = labelKey(labels);
    const entry = family.values.get(key);
    if (entry) entry.value += by;
    else family.values.set(key, { labels, value: by });
  }

  set(name: string, help: string, labels: Labels, value: number): void {
    this.family(name, "gauge", help).values.set(labelKey(labels), { labels, value });
  }

  /** Adds to a counter named in `METRIC` (./metric-names.ts), so every writer uses the same name and help. */
  count(def: MetricDef, labels: Labels = {}, by = 1): void {
    this.inc(def.name, def.help, labels, by);
  }

  /** Sets a gauge named in `METRIC` (./metric-names.ts). */
  gauge(def: MetricDef, labels: Labels, value: number): void {
    this.set(def.name, def.help, labels, value);
  }

  /** Sets a counter named in `METRIC` to a total kept elsewhere, e.g. CPU time the OS counts. */
  total(def: MetricDef, labels: Labels, value: number): void {
    this.family(def.name, "counter", def.help).values.set(labelKey(labels), { labels, value });
  }

  /** Drops a gauge's series, e.g. a file that is no longer watched. */
  remove(name: string, labels: Labels): void {
    this.families.get(name)?.values.delete(labelKey(labels));
  }

  /** Every series of a metric with its labels, e.g. each file's lag for the health check. */
  series(name: string): Array<{ labels: Labels; value: number }> {
    return [...(this.families.get(name)?.values.values() ?? [])];
  }

  get(name: string, labels: Labels = {}): number {
    return this.families.get(name)?.values.get(labelKey(labels))?.value ?? 0;
  }

  render(): string {
    let out = "";
    for (const [name, family] of this.families) {
      out += `# HELP ${name} ${family.help}\n# TYPE ${name} ${family.type}\n`;
      for (const { labels, value } of family.values.values()) {
        const key = labelKey(labels);
        out += `${name}${key ? `{${key}}` : ""} ${value}\n`;
      }
    }
    return out;
  }
}
