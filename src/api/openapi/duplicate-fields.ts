// Duplicate-field detection for fieldValidation=Strict|Warn. JSON.parse silently keeps the last of
// repeated keys; upstream's strict decoder reports each as `duplicate field "<path>"` (same path format
// as unknown fields: `spec.replicas`, `spec.containers[0].name`). This scans the raw JSON text once;
// it assumes the text is valid JSON (parse it first) and returns [] for anything it cannot follow.

export function findDuplicateFields(json: string): string[] {
  const out: string[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < json.length && (json[i] === ' ' || json[i] === '\n' || json[i] === '\r' || json[i] === '\t')) i++;
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (i < json.length && json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(json.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    const c = json[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (json[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const key = str();
        const child = path ? `${path}.${key}` : key;
        if (seen.has(key)) out.push(child);
        seen.add(key);
        ws();
        i++; // ':'
        value(child);
        ws();
        if (json[i++] !== ',') return;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (json[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        if (json[i++] !== ',') return;
      }
    } else if (c === '"') {
      str();
    } else {
      while (i < json.length && !',}] \n\r\t'.includes(json[i])) i++;
    }
  };
  try {
    value('');
  } catch {
    return [];
  }
  return out;
}
