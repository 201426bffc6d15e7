import { parseArgs } from "node:util";
import { eventJsonSchema } from "../events.js";

const HELP = `usage: teletap schema

Print the JSON Schema (draft 2020-12) of the normalized event that grep prints and every sink sends; the same
schema is pinned in docs/event.schema.json.

  -h, --help  this help
`;

export async function main(argv: string[]): Promise<number> {
  let help: boolean | undefined;
  try {
    help = parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" } }, strict: true }).values.help;
  } catch (error) {
    process.stderr.write(`teletap schema: ${(error as Error).message}\nTry 'teletap schema --help'.\n`);
    return 2;
  }
  if (help) {
    process.stdout.write(HELP);
    return 0;
  }
  process.stdout.write(`${JSON.stringify(eventJsonSchema(), null, 2)}\n`);
  return 0;
}
