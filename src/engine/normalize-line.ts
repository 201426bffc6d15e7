// CSI (colours, cursor moves) and OSC (titles, hyperlinks) sequences, as terminals and captured sessions leave them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI sequences start with ESC by definition
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/**
 * Undo what terminals and capture tools do to a line before a parser sees it: a UTF-8 BOM, trailing CR/whitespace,
 * ANSI sequences, and `\r` progress updates (the last segment holding a marker is the one that was printed last).
 */
export function normalizeLine(raw: string, markers: readonly string[]): string {
  const text = stripTerminal(raw).trimEnd();
  if (text.includes("\r")) {
    const segments = text.split("\r");
    for (let i = segments.length - 1; i >= 0; i--) {
      const segment = segments[i] ?? "";
      if (markers.some((marker) => segment.includes(marker))) return segment;
    }
  }
  return text;
}

/** A line as a wrapped continuation needs it: BOM, ANSI and the CR of a CRLF removed, inner and edge spaces kept. */
export function stripTerminal(raw: string): string {
  let text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.includes("\x1b")) text = text.replace(ANSI, "");
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}
