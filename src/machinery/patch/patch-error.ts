// The error every patch function throws, with a stable `code` and the HTTP status the API server should
// answer with (upstream: a malformed patch document is 400 BadRequest; a JSON patch that does not apply
// is 422; strategic-merge format errors are 400, list-of-lists / retainKeys mismatches 422). Upstream
// answers any other strategic merge failure with 500, but every one of them is caused by the patch the
// client sent (`$patch: merge`, a list without its merge key…), and a client must not be able to
// provoke a 5xx: those are 400 here, with upstream's message. Also a Go `%v`-style formatter, because upstream's messages embed values that way.

export type PatchErrorCode =
  | 'InvalidPatch' // the patch document itself is malformed (not an array of operations, bad pointer…)
  | 'TestFailed' // a JSON patch `test` operation did not match
  | 'PathNotFound' // a JSON patch operation refers to a missing location
  | 'BadFormat' // a strategic merge patch directive is malformed (400)
  | 'Unprocessable' // a strategic merge patch cannot be applied to this document (422)
  | 'MergeFailed'; // any other strategic merge failure (upstream: 500; here 400, see above)

const STATUS: Record<PatchErrorCode, 400 | 422 | 500> = {
  InvalidPatch: 400,
  TestFailed: 422,
  PathNotFound: 422,
  BadFormat: 400,
  Unprocessable: 422,
  MergeFailed: 400,
};

export class PatchError extends Error {
  readonly code: PatchErrorCode;
  /** The HTTP status upstream's API server uses for this kind of failure. */
  readonly httpStatus: 400 | 422 | 500;
  constructor(code: PatchErrorCode, message: string) {
    super(message);
    this.name = 'PatchError';
    this.code = code;
    this.httpStatus = STATUS[code];
  }
}

/** Go's fmt `%v` of a decoded JSON value: `map[a:1 b:[x y]]`, `<nil>`, strings bare. */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goFormat(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** Structural equality of JSON values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(ao[k], bo[k]));
}
