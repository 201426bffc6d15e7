import { ticloudLines } from "./telemetry-lines.js";

export type Utf16 = "utf-16le" | "utf-16be";

/** `text` as UTF-16 code units, without a BOM: what a program appends to a file that already has one. */
export function utf16(text: string, encoding: Utf16): Buffer {
  const le = Buffer.from(text, "utf16le");
  return encoding === "utf-16le" ? le : le.swap16();
}

/** A whole file as PowerShell's `>` writes it (`-Encoding BigEndianUnicode` for BE): a BOM, then UTF-16. */
export function utf16File(text: string, encoding: Utf16): Buffer {
  return utf16(`\uFEFF${text}`, encoding);
}

/**
 * ticloudLines() as a PowerShell capture holds them: CRLF, and between them a line with a surrogate pair (😀),
 * characters whose code units hold the bytes of an LF unit across their boundary (ਊ U+0A0A, Ā U+0100), which a
 * reader that does not keep to code units takes for a line end, and a leading U+FEFF (two captures concatenated),
 * which is text there and not a BOM to drop.
 */
export function powershellLines(from: number, count: number): string {
  return ticloudLines(from, count)
    .split("\n")
    .filter((line) => line !== "")
    .map(
      (line, i) =>
        `${line}\r\n${i % 2 === 1 ? `\uFEFF[2025/11/20 10:15:42.120 +08:00] [INFO] [root.go:13] ["😀 ਊĀਊ 《done》"]\r\n` : ""}`,
    )
    .join("");
}
