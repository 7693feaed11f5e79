import type { AttributeType } from '../entities/member.entity';

export interface AttributeDef {
  code: string;
  type: AttributeType;
  options: string[];
  required: boolean;
}

export interface AttributeProblem {
  field: string;
  errors: string[];
}

/**
 * Validates custom attribute values against HQ's definitions and returns the normalised values.
 * `previous` holds the member's current values: an update only has to carry what changes, but a
 * required attribute may never end up missing. `null` removes a value.
 */
export function validateAttributes(
  defs: AttributeDef[],
  input: Record<string, unknown>,
  previous: Record<string, string | number> = {},
): { values: Record<string, string | number>; problems: AttributeProblem[] } {
  const problems: AttributeProblem[] = [];
  const values: Record<string, string | number> = { ...previous };
  const byCode = new Map(defs.map((d) => [d.code, d]));
  for (const [code, raw] of Object.entries(input)) {
    const def = byCode.get(code);
    const field = `attributes.${code}`;
    if (!def) {
      problems.push({ field, errors: [`unknown attribute ${code}`] });
      continue;
    }
    if (raw === null) {
      delete values[code];
      continue;
    }
    const bad = (msg: string) => problems.push({ field, errors: [msg] });
    switch (def.type) {
      case 'text':
        if (typeof raw !== 'string' || raw.length > 200) bad('must be text of at most 200 characters');
        else values[code] = raw;
        break;
      case 'number':
        if (typeof raw !== 'number' || !Number.isFinite(raw)) bad('must be a number');
        else values[code] = raw;
        break;
      case 'date':
        if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`)) || new Date(`${raw}T00:00:00Z`).toISOString().slice(0, 10) !== raw) {
          bad('must be a date YYYY-MM-DD');
        } else values[code] = raw;
        break;
      case 'choice':
        if (typeof raw !== 'string' || !def.options.includes(raw)) bad(`must be one of ${def.options.join(', ')}`);
        else values[code] = raw;
        break;
    }
  }
  for (const def of defs) {
    if (def.required && (values[def.code] === undefined || values[def.code] === '')) {
      if (!problems.some((p) => p.field === `attributes.${def.code}`)) problems.push({ field: `attributes.${def.code}`, errors: ['is required'] });
    }
  }
  return { values, problems };
}
