#!/usr/bin/env node
import { CommanderError } from "commander";
import { env } from "../config.js";
import { VpoError } from "../errors.js";
import { buildProgram } from "./program.js";

/** Exit codes: 0 ok, 1 failed work, 2 usage or input errors, 130 interrupted. */
async function main(): Promise<void> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`vpo: ${message}\n`);
    if (VpoError.isInstance(error) && env.debug()) process.stderr.write(`${error.stack}\n`);
    else if (!VpoError.isInstance(error)) process.stderr.write(`${error instanceof Error ? error.stack : ""}\n`);
    process.exitCode = VpoError.isInstance(error) && (error.code === "usage" || error.code === "input" || error.code === "no-model") ? 2 : 1;
  }
}

await main();
