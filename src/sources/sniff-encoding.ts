/** What a file's first bytes say it holds: gzip (by magic, not name), UTF-16 with a BOM (PowerShell's `>`), else bytes. */
export type Encoding = "gzip" | "utf-16le" | "utf-16be" | "plain";

export function sniffEncoding(head: Uint8Array): Encoding {
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  return "plain";
}
