import { describe, expect, it } from "vitest";
import { SingleFlight } from "./single-flight.js";

describe("SingleFlight", () => {
  it("shares one call among concurrent callers of a key, and aborts it only when all of them have gone", async () => {
    const flights = new SingleFlight<string>();
    let calls = 0;
    let workSignal!: AbortSignal;
    let finish!: (v: string) => void;
    const work = (signal: AbortSignal) => {
      calls++;
      workSignal = signal;
      return new Promise<string>((resolve) => (finish = resolve));
    };
    const first = new AbortController();
    const second = new AbortController();
    const a = flights.run("k", first.signal, work);
    const b = flights.run("k", second.signal, work);
    await Promise.resolve();
    await Promise.resolve();
    expect(calls).toBe(1);
    first.abort();
    await expect(a).rejects.toMatchObject({ code: "aborted" });
    expect(workSignal.aborted).toBe(false);
    finish("done");
    expect(await b).toBe("done");

    const c = new AbortController();
    const lonely = flights.run("k2", c.signal, work);
    await Promise.resolve();
    await Promise.resolve();
    c.abort();
    await expect(lonely).rejects.toMatchObject({ code: "aborted" });
    expect(workSignal.aborted).toBe(true);
    expect(flights.size).toBe(0);
  });
});
