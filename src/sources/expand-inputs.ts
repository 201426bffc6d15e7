import { readdirSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { fsErrorText } from "../errors.js";

// What makes an operand that names no file a pattern (the characters picomatch gives meaning to).
const GLOB_SYNTAX = /[*?[\]{}()!]/;

/** One thing to scan: a regular file, or standard input. */
export type Input = { kind: "file"; path: string } | { kind: "stdin"; path: "-" };

export interface ExpandedInputs {
  inputs: Input[];
  /** Operands that named nothing readable, each with the reason; the others are still scanned. */
  errors: string[];
}

function walk(dir: string, into: Input[], errors: string[]): void {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    errors.push(`${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, into, errors);
    else if (entry.isFile()) into.push({ kind: "file", path });
  }
}

/**
 * grep's operands -> inputs: `-` is stdin, a directory is walked recursively in name order, a path that does not
 * exist but has glob syntax is expanded (quoted globs like 'logs/**\/*.log'), anything else is a file.
 */
export async function expandInputs(operands: readonly string[]): Promise<ExpandedInputs> {
  const inputs: Input[] = [];
  const errors: string[] = [];
  for (const operand of operands) {
    if (operand === "-") {
      inputs.push({ kind: "stdin", path: "-" });
      continue;
    }
    let stats: import("node:fs").Stats | undefined;
    try {
      stats = statSync(operand);
    } catch (error) {
      if (!GLOB_SYNTAX.test(operand)) {
        errors.push(`${operand}: ${fsErrorText(error)}`);
        continue;
      }
    }
    if (stats?.isDirectory()) walk(operand, inputs, errors);
    else if (stats) inputs.push({ kind: "file", path: operand });
    else {
      // Loaded only for a glob: tinyglobby and picomatch are a third of a plain grep's start-up.
      const { glob } = await import("tinyglobby");
      const matches = (
        await glob(operand, { onlyFiles: true, dot: false, expandDirectories: false, absolute: isAbsolute(operand) })
      ).sort();
      if (matches.length === 0) errors.push(`${operand}: no files match this pattern`);
      for (const path of matches) inputs.push({ kind: "file", path });
    }
  }
  return { inputs, errors };
}
