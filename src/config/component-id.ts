import { z } from "zod";

/** A source or sink id: it names a spool directory and metric labels, so keep it to a safe alphabet. */
export const componentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { error: "expected an id of letters, digits, '_' or '-'" });
