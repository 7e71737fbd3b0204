import { describe, expect, it } from 'vitest';
import { NotImported } from './parse';
import { readVocXml, vocBoxes } from './voc';

const voc = (objects: string, size = '<size><width>100</width><height>50</height><depth>3</depth></size>') =>
  `<annotation><folder>images</folder><filename>007.png</filename>${size}${objects}</annotation>`;
const obj = (box: string, extra = '') => `<object><name>cat</name>${extra}<bndbox>${box}</bndbox></object>`;
const box = (a: number | string, b: number | string, c: number | string, d: number | string) =>
  `<xmin>${a}</xmin><ymin>${b}</ymin><xmax>${c}</xmax><ymax>${d}</ymax>`;

describe('Pascal VOC import', () => {
  it('reads 1-based inclusive boxes into continuous pixels, flags as attributes', () => {
    const img = readVocXml(
      voc(
        obj(box(1, 1, 1, 1)) + obj(box(11, 21, 30, 50), '<difficult>1</difficult><truncated>0</truncated>'),
      ),
      'a.xml',
    );
    expect(img).toMatchObject({ fileName: '007.png', width: 100, height: 50 });
    const n = new NotImported();
    const [first, second] = vocBoxes(img, 100, 50, 'a.xml', n);
    // The first pixel: [0, 1) × [0, 1).
    expect(first).toMatchObject({ label: 'cat', x: 0, y: 0, w: 1, h: 1, rotation: 0, attributes: {} });
    expect(second).toMatchObject({ x: 10, y: 20, w: 20, h: 30, attributes: { difficult: true } });
    expect(n.list()).toEqual([]);
  });

  it('reads one object as a list, a score, and clamps a 0-based box (counted)', () => {
    const img = readVocXml(voc(obj(box(0, 0, 100, 50), '<score>0.25</score>')), 'a.xml');
    const n = new NotImported();
    expect(vocBoxes(img, 100, 50, 'a.xml', n)[0]).toMatchObject({ x: 0, y: 0, w: 100, h: 50, score: 0.25 });
    expect(n.list()).toEqual([
      { reason: 'the parts of VOC boxes outside the image (those boxes were clamped to it)', count: 1 },
    ]);
  });

  it('names the file and line, or the element and field', () => {
    expect(() => readVocXml('<annotation><filename>a</filename>', 'a.xml')).toThrow(/^a\.xml line 1: /);
    expect(() => readVocXml(voc(obj(box(1, 1, 1, 1)) + obj(box(1, 'x', 1, 1))), 'a.xml')).toThrow(
      'a.xml: /annotation/object[2]/bndbox/ymin: must be a number',
    );
    expect(() => readVocXml(voc(obj('<xmin>1</xmin>')), 'a.xml')).toThrow(
      /^a\.xml: \/annotation\/object\[1\]\/bndbox\/ymin: /,
    );
    expect(() => readVocXml(voc(obj(box(1, 1, 1, 1), '<difficult>maybe</difficult>')), 'a.xml')).toThrow(
      'a.xml: /annotation/object[1]/difficult: must be 0 or 1',
    );
    expect(() => readVocXml(voc(obj(box(5, 1, 4, 1))), 'a.xml')).toThrow(
      'a.xml: /annotation/object[1]/bndbox: xmax < xmin or ymax < ymin',
    );
    expect(() => readVocXml('<annotation><size/></annotation>', 'a.xml')).toThrow(
      /^a\.xml: \/annotation\/filename: /,
    );
    const twoDoctypes = '<!DOCTYPE a [<!ENTITY x "y">]><!DOCTYPE b [<!ENTITY x "y">]><annotation/>';
    expect(() => readVocXml(twoDoctypes, 'a.xml')).toThrow(/^a\.xml: Multiple DOCTYPE/);
    const img = readVocXml(voc(''), 'a.xml');
    expect(() => vocBoxes(img, 50, 100, 'a.xml', new NotImported())).toThrow(
      "a.xml: /annotation/size: 100×50, but the project's image 007.png is 50×100",
    );
  });
});
