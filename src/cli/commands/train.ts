import { Command } from "commander";
import { trainExportCommand } from "./train-export.js";
import { trainRunCommand } from "./train-run.js";

export function trainCommand(): Command {
  return new Command("train")
    .description("export training data and configs, and launch and follow SFT/DPO runs on LLaMA-Factory, TRL or a fine-tuning API")
    .addCommand(trainExportCommand())
    .addCommand(trainRunCommand("sft"))
    .addCommand(trainRunCommand("dpo"));
}
