import { VpoError } from "../../errors.js";

/**
 * The engine is installed, but not in a version its export runs on (or its versions could not be read). Nothing was
 * launched. Code "engine-missing": the engine as the export needs it is not installed. `install` fixes it.
 */
export class EngineVersionError extends VpoError {
  override name = "EngineVersionError";
  constructor(
    message: string,
    readonly problems: readonly { package: string; found: string | null; needed: string; install: string }[] = [],
  ) {
    super("engine-missing", message);
  }
}
