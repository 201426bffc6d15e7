/** Stable error codes: scripts and tests match on these, never on message text. */
export type ErrorCode = "E_USAGE" | "E_CONFIG" | "E_READ" | "E_SINK" | "E_STATE";

/** The one error class for broken programs and bad invocations; bad input data is a value, not an exception. */
export class TeletapError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TeletapError";
    this.code = code;
  }
}

const FS_ERRORS: Record<string, string> = {
  ENOENT: "No such file or directory",
  ENOTDIR: "Not a directory",
  EACCES: "Permission denied",
  EISDIR: "Is a directory",
};

/** A file-system error as grep words it (`No such file or directory`), else its own message. */
export function fsErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (code !== undefined && FS_ERRORS[code]) || (error instanceof Error ? error.message : String(error));
}
