import { describe, expect, it } from "vitest";
import { Admission } from "./admission.js";

describe("Admission", () => {
  it("runs up to the limit, queues up to its bound, refuses the rest, and hands a freed slot to the oldest waiter", async () => {
    const admission = new Admission(2, 1, 3);
    const signal = new AbortController().signal;
    const a = await admission.acquire(signal);
    await admission.acquire(signal);
    const waiting = admission.acquire(signal);
    expect([admission.inFlight, admission.queued]).toEqual([2, 1]);
    await expect(admission.acquire(signal)).rejects.toMatchObject({ code: "overloaded", retryAfterS: 3 });
    a();
    a(); // a second release of the same slot changes nothing
    await waiting;
    expect([admission.inFlight, admission.queued]).toEqual([2, 0]);
  });

  it("drops a waiter whose request is aborted", async () => {
    const admission = new Admission(1, 4);
    await admission.acquire(new AbortController().signal);
    const gone = new AbortController();
    const waiting = admission.acquire(gone.signal);
    gone.abort();
    await expect(waiting).rejects.toMatchObject({ code: "aborted" });
    expect(admission.queued).toBe(0);
  });
});
