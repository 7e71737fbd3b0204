import { describe, expect, it } from 'vitest';
import { checkCompleteness, missingInWords } from './completeness';
import { LabelConfig } from './label-config';
import type { Annotation } from './annotation';

const config = LabelConfig.parse({
  tools: ['bbox', 'image-class'],
  labels: [
    {
      name: 'Car',
      color: '#ff0000',
      required: true,
      attributes: [{ type: 'select', name: 'colour', options: ['red', 'blue'], required: true }],
    },
    { name: 'Person', color: '#00ff00' },
  ],
  classes: [{ name: 'Weather', required: true, options: [{ name: 'sunny', color: '#ffff00' }] }],
  minRegions: 2,
});
const box = (label: string, attributes: Record<string, string> = {}) => ({
  type: 'bbox' as const,
  id: `${label}-${Object.keys(attributes).length}`,
  label,
  x: 0,
  y: 0,
  width: 1,
  height: 1,
  rotation: 0,
  attributes,
});
const weather = { type: 'image-class' as const, id: 'w', group: 'Weather', labels: ['sunny'] };
const ann = (results: unknown[]): Annotation => ({ results, activeMs: 0 }) as Annotation;

describe('checkCompleteness (issue 16.4)', () => {
  it('says what is missing, in words', () => {
    const r = checkCompleteness(config, ann([box('Person')]));
    expect(r).toEqual({
      kind: 'incomplete',
      missing: ['at least 2 regions (1 so far)', 'a "Car" region', 'a choice for "Weather"'],
    });
    expect(missingInWords(r.kind === 'incomplete' ? r.missing : [])).toMatch(/^Not submitted\. Missing: /);
  });
  it('counts regions without a required attribute', () => {
    expect(checkCompleteness(config, ann([box('Car'), box('Car'), weather]))).toEqual({
      kind: 'incomplete',
      missing: ['"colour" on Car (2 regions without it)'],
    });
  });
  it('passes a complete annotation', () => {
    expect(checkCompleteness(config, ann([box('Car', { colour: 'red' }), box('Person'), weather]))).toEqual({
      kind: 'ok',
    });
  });
  it('an empty annotation is incomplete under rules, and "empty" (a deliberate second key) without', () => {
    expect(checkCompleteness(config, ann([])).kind).toBe('incomplete');
    const free = LabelConfig.parse({ tools: ['bbox'], labels: [{ name: 'Car', color: '#ff0000' }] });
    expect(checkCompleteness(free, ann([]))).toEqual({ kind: 'empty' });
    expect(checkCompleteness(free, ann([box('Car')]))).toEqual({ kind: 'ok' });
  });
});
