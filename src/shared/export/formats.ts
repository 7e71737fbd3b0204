import { writeCoco } from './coco';
import { writeConll } from './conll';
import { writeLabelStudio } from './label-studio';
import type { ExportFormat } from './options';
import { writePreferencePairs, writeRankings } from './preference';
import type { DatasetWriter } from './record';
import { writeCsv, writeJsonl } from './tabular';
import { writeSpacy, writeTextJsonl } from './text-jsonl';
import { writeVoc } from './voc';
import { yoloWriter } from './yolo';

/** The writer of each format (each module's doc comment states its coordinate conventions). */
export const WRITERS: Record<ExportFormat, DatasetWriter> = {
  coco: writeCoco,
  'yolo-detect': yoloWriter('detect'),
  'yolo-segment': yoloWriter('segment'),
  'yolo-pose': yoloWriter('pose'),
  'yolo-obb': yoloWriter('obb'),
  voc: writeVoc,
  'label-studio': writeLabelStudio,
  csv: writeCsv,
  jsonl: writeJsonl,
  conll: writeConll,
  spacy: writeSpacy,
  'text-jsonl': writeTextJsonl,
  'preference-pairs': writePreferencePairs,
  rankings: writeRankings,
};

/** One line per format, for help texts and the export screen. */
export const FORMAT_TITLES: Record<ExportFormat, string> = {
  coco: 'COCO (boxes, polygons, keypoints)',
  'yolo-detect': 'YOLO detect (Ultralytics)',
  'yolo-segment': 'YOLO segment (Ultralytics)',
  'yolo-pose': 'YOLO pose (Ultralytics)',
  'yolo-obb': 'YOLO oriented boxes (Ultralytics OBB)',
  voc: 'Pascal VOC XML',
  'label-studio': 'Label Studio JSON',
  csv: 'CSV of all results',
  jsonl: 'JSONL of all results',
  conll: 'CoNLL-2003 NER (IOB2)',
  spacy: 'spaCy-style JSONL',
  'text-jsonl': 'JSONL with spans, classes and relations',
  'preference-pairs': 'Preference pairs JSONL (prompt, chosen, rejected)',
  rankings: 'Rankings and ratings JSONL',
};
