import { describe, expect, it } from "vitest";
import { wilsonInterval } from "./wilson.js";

describe("wilsonInterval", () => {
  it("matches known values", () => {
    const { low, high } = wilsonInterval(47, 50);
    expect(low).toBeCloseTo(0.8378, 3);
    expect(high).toBeCloseTo(0.9794, 3);
  });
  it("stays inside [0, 1] at the edges and is wide for tiny samples", () => {
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 3);
    expect(wilsonInterval(10, 10).high).toBeCloseTo(1, 12);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});
