import { validateAttributes, type AttributeDef } from './attributes';

const defs: AttributeDef[] = [
  { code: 'plate_no', type: 'text', options: [], required: true },
  { code: 'mileage', type: 'number', options: [], required: false },
  { code: 'last_service', type: 'date', options: [], required: false },
  { code: 'skin', type: 'choice', options: ['干性', '油性'], required: false },
];

describe('custom member attributes', () => {
  it('accepts values that match their definitions', () => {
    const r = validateAttributes(defs, { plate_no: '沪A12345', mileage: 12000, last_service: '2026-02-28', skin: '油性' });
    expect(r.problems).toEqual([]);
    expect(r.values).toEqual({ plate_no: '沪A12345', mileage: 12000, last_service: '2026-02-28', skin: '油性' });
  });

  it('names every value that does not match, and unknown or missing required ones', () => {
    const r = validateAttributes(defs, { mileage: '12k', last_service: '2026-02-30', skin: '中性', colour: 'red' });
    expect(r.problems.map((p) => p.field).sort()).toEqual(['attributes.colour', 'attributes.last_service', 'attributes.mileage', 'attributes.plate_no', 'attributes.skin']);
  });

  it('keeps earlier values on a partial update and removes a value given as null', () => {
    const r = validateAttributes(defs, { mileage: null }, { plate_no: '沪A1', mileage: 5 });
    expect(r).toEqual({ values: { plate_no: '沪A1' }, problems: [] });
    expect(validateAttributes(defs, { plate_no: null }, { plate_no: '沪A1' }).problems).toEqual([{ field: 'attributes.plate_no', errors: ['is required'] }]);
  });
});
