/** Number of LF bytes in buf[start, end). */
export function countNewlines(buf: Buffer, start: number, end: number): number {
  let count = 0;
  let at = buf.indexOf(10, start);
  while (at !== -1 && at < end) {
    count++;
    at = buf.indexOf(10, at + 1);
  }
  return count;
}
