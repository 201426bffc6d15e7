const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe inside HTML elements and quoted attributes: log values are untrusted input. */
export function escapeHtml(text: string | number | null): string {
  return String(text ?? "-").replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}
