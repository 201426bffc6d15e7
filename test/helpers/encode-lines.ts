// Independent encoders written from formats.md, for round-trip tests: what the producers' own encoders print.

/** Go encoding/json (HTML-safe) of a value. */
export function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** pingcap/log quoting of a field value: wrap in quotes, escape backslash and quote. */
function pingcapQuote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function ticloudLine(event: unknown, field: "event" | "body" = "event"): string {
  return `[2025/11/20 10:15:42.118 +08:00] [DEBUG] [sender.go:47] ["sending telemetry events"] [${field}=${pingcapQuote(goJson(event))}]`;
}

/** golang/protobuf writeQuotedString: per byte, octal for anything outside printable ASCII. */
function protoQuote(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, "utf8")) {
    if (byte === 0x0a) out += "\\n";
    else if (byte === 0x0d) out += "\\r";
    else if (byte === 0x09) out += "\\t";
    else if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += "\\\\";
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, "0")}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

function protoFields(message: Record<string, unknown>): string {
  let out = "";
  for (const [name, value] of Object.entries(message)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === "string") out += `${name}:${protoQuote(item)} `;
      else if (typeof item === "number" || typeof item === "boolean") out += `${name}:${item} `;
      else out += `${name}:<${protoFields(item as Record<string, unknown>)}> `;
    }
  }
  return out;
}

/** TiUP's console line for a report given in its JSON wire shape (EventDetail unwrapped back into the oneof). */
export function tiupLine(report: Record<string, unknown>): string {
  const { EventDetail, ...rest } = report as { EventDetail?: Record<string, unknown> };
  return `report: ${protoFields({ ...rest, ...(EventDetail ?? {}) })}`;
}

export function tisparkLine(report: unknown): string {
  return `22/11/16 15:02:11 INFO Telemetry: Telemetry report: ${JSON.stringify(report)}`;
}
