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
