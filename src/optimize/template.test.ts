import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VPO_TEMPLATE_TEXT, userTurnTemplate, vpoTemplate } from "./template.js";

const contract = readFileSync(new URL("../../../shared/contracts/vpo-model-template.txt", import.meta.url), "utf8");

describe("VPO model contract", () => {
  it("is byte-identical to the released template", () => {
    expect(Buffer.from(VPO_TEMPLATE_TEXT)).toEqual(Buffer.from(contract));
    expect(VPO_TEMPLATE_TEXT).toContain("unethical content.  \n2.");
    expect(VPO_TEMPLATE_TEXT.endsWith("Video Prompt:")).toBe(true);
  });

  it("renders one user turn with the stripped query in place of {}", () => {
    const messages = vpoTemplate.render("  a cute dog on the grass \n");
    expect(messages).toEqual([{ role: "user", content: contract.replace("{}", "a cute dog on the grass") }]);
  });

  it("inserts queries holding replacement patterns literally", () => {
    const [message] = vpoTemplate.render("price tag $& and $1 and $$");
    expect(message!.content).toContain("User Query:price tag $& and $1 and $$\n\nVideo Prompt:");
  });

  it("versions templates by content", () => {
    expect(vpoTemplate.version).toMatch(/^[0-9a-f]{12}$/);
    expect(userTurnTemplate("x", "Q: {query}").version).not.toBe(vpoTemplate.version);
    expect(() => userTurnTemplate("bad", "no placeholder")).toThrow(/placeholder/);
  });
});
