// `$(VAR)` expansion as upstream third_party/forked/golang/expansion: `$$` is an escaped `$`, an
// unknown `$(VAR)` is left as written, an unterminated `$(` is kept literally, and a `$` followed by
// anything else is kept with that character. Used for env values, command/args and subPathExpr.

export type Mapping = (name: string) => string;

/** Looks a name up in each context in turn; unresolved names come back as `$(name)`, unchanged. */
export function mappingFuncFor(...contexts: Array<ReadonlyMap<string, string> | Record<string, string>>): Mapping {
  return (name) => {
    for (const c of contexts) {
      if (c instanceof Map) {
        if (c.has(name)) return c.get(name)!;
      } else if (Object.prototype.hasOwnProperty.call(c, name)) {
        return (c as Record<string, string>)[name];
      }
    }
    return `$(${name})`;
  };
}

export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const { read, isVar, advance } = tryReadVariableName(input.slice(cursor + 1));
    out += isVar ? mapping(read) : read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

function tryReadVariableName(rest: string): { read: string; isVar: boolean; advance: number } {
  if (rest[0] === '$') return { read: '$', isVar: false, advance: 1 };
  if (rest[0] === '(') {
    const close = rest.indexOf(')', 1);
    if (close >= 0) return { read: rest.slice(1, close), isVar: true, advance: close + 1 };
    return { read: '$(', isVar: false, advance: 1 };
  }
  return { read: '$' + rest[0], isVar: false, advance: 1 };
}
