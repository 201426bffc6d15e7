import { eventJsonSchema } from "../events.js";

export async function main(_argv: string[]): Promise<number> {
  process.stdout.write(`${JSON.stringify(eventJsonSchema(), null, 2)}\n`);
  return 0;
}
