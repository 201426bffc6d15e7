import type { Malformed } from "../../engine/extractor.js";
import { TeletapError } from "../../errors.js";
import type { Logger } from "../../log/logger.js";

/** Where a source's malformed lines and errors go: the caller's callbacks, else its logger, else stderr. */
export interface ReporterOptions {
  logger?: Logger;
  onMalformed?: (malformed: Malformed) => void;
  onError?: (error: TeletapError) => void;
}

/** Reports what a source meets without stopping: bad lines (data) and failed reads or writes (errors). */
export class SourceReporter {
  constructor(
    private readonly source: string,
    private readonly options: ReporterOptions,
  ) {}

  malformed(malformed: Malformed): void {
    if (this.options.onMalformed) this.options.onMalformed(malformed);
    else if (this.options.logger)
      this.options.logger.warn("malformed telemetry line", { source: this.source, ...malformed });
    else process.stderr.write(`teletap: ${malformed.path}:${malformed.line}: ${malformed.reason}\n`);
  }

  error(error: unknown, doing: string): void {
    const wrapped =
      error instanceof TeletapError
        ? error
        : new TeletapError("E_READ", `${doing}: ${String(error)}`, { cause: error });
    if (this.options.onError) this.options.onError(wrapped);
    else if (this.options.logger) this.options.logger.error(wrapped.message, { source: this.source, error: wrapped });
    else process.stderr.write(`teletap: ${wrapped.message}\n`);
  }
}
