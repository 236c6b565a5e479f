import { verifyConversion, type VerifyOptions, type VerifyReport } from "../convert/verify.js";
import { TOKENIZER_EDGE_TEXTS } from "../convert/verify-texts.js";
import { VPO_TEMPLATE_TEXT } from "../optimize/template.js";

/** A VPO model's tokenization check: its input contract around a query, then the tokenizer's hard cases. */
export const VPO_VERIFY_TEXTS: readonly string[] = [VPO_TEMPLATE_TEXT.replace("{}", "a cat playing piano in a jazz bar"), ...TOKENIZER_EDGE_TEXTS];

/** The prompt after which a VPO model's converted and reference next-token distributions are compared. */
export const VPO_LOGITS_PROMPT = VPO_TEMPLATE_TEXT.replace("{}", "a corgi surfing a wave at sunset, slow motion");

/** `vpo convert --verify` of a VPO checkpoint: `verifyConversion` with the VPO texts (or the ones given). */
export function verifyVpoConversion(options: Omit<VerifyOptions, "texts" | "logitsPrompt"> & { texts?: readonly string[] }): Promise<VerifyReport> {
  return verifyConversion({ ...options, texts: options.texts ?? VPO_VERIFY_TEXTS, logitsPrompt: VPO_LOGITS_PROMPT });
}
