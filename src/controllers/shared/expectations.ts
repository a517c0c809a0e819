// Controller expectations (upstream pkg/controller/controller_utils.go ControllerExpectations): after
// a controller creates 3 pods, its informer has not seen them yet; a reconcile in that window would
// count too few pods and create 3 more. So a controller records how many creations and deletions it
// expects per owner key, the informer handlers lower the counts as the events arrive, and the
// controller does not act on counts until they are met (or a 5-minute timeout passes, in case an
// event was lost).
const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  at: number;
}

export class Expectations {
  private readonly m = new Map<string, Expectation>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Sets (replaces) what a reconcile is about to do. */
  expect(key: string, adds: number, dels: number): void {
    this.m.set(key, { add: adds, del: dels, at: this.now() });
  }
  creationObserved(key: string): void {
    const e = this.m.get(key);
    if (e) e.add--;
  }
  deletionObserved(key: string): void {
    const e = this.m.get(key);
    if (e) e.del--;
  }
  /** A create that failed will never be observed: stop waiting for it. */
  lowerExpectations(key: string, adds: number, dels: number): void {
    const e = this.m.get(key);
    if (e) {
      e.add -= adds;
      e.del -= dels;
    }
  }
  /** True when the owner may be reconciled on cache counts: nothing outstanding, or expired. */
  satisfied(key: string): boolean {
    const e = this.m.get(key);
    if (!e) return true;
    return (e.add <= 0 && e.del <= 0) || this.now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }
  delete(key: string): void {
    this.m.delete(key);
  }
}
