/**
 * Why images were not masked, grouped: error reasons fall into a few stable categories (the full reason stays in
 * the manifest), and no-face / not-verified images are counted with a few example paths each.
 */
import type { MaskStatus } from '../mask-image.js';
import type { ManifestRecord } from './manifest-format.js';

/** Stable groups of `error` reasons. */
export type FailureCategory = 'corrupt-image' | 'empty-file' | 'unreadable' | 'write-failed' | 'other';

/** The categories in the order reports list them, with a readable label each (one image, several). */
export const FAILURE_CATEGORIES: Readonly<Record<FailureCategory, { one: string; many: string }>> =
  Object.freeze({
    'corrupt-image': { one: 'corrupt or unsupported image', many: 'corrupt or unsupported images' },
    'empty-file': { one: 'empty file', many: 'empty files' },
    unreadable: { one: 'unreadable file (permission or I/O)', many: 'unreadable files (permission or I/O)' },
    'write-failed': { one: 'output that could not be written', many: 'outputs that could not be written' },
    other: { one: 'other error', many: 'other errors' },
  });

const UNREADABLE =
  /\b(EACCES|EPERM|EISDIR|ENOENT|EIO|ELOOP|EMFILE|ENFILE)\b|permission denied|not found|is a directory/i;

/**
 * The category of an `error` reason as recorded in the manifest. Quoted file names are ignored, so a file called
 * `corrupt.jpg` that cannot be opened is `unreadable`, not `corrupt-image`.
 *
 * @example
 * failureCategory('Cannot read image "/d/b.png": empty file'); // 'empty-file'
 * failureCategory('Cannot read image "/d/a.jpg": unsupported or corrupt image: VipsJpeg: ...'); // 'corrupt-image'
 * failureCategory("EACCES: permission denied, open '/d/c.jpg'"); // 'unreadable'
 */
export function failureCategory(reason: string): FailureCategory {
  const text = reason.replace(/"[^"]*"|'[^']*'/g, '""');
  if (/^cannot write/i.test(text)) return 'write-failed';
  if (/\bempty file\b/i.test(text)) return 'empty-file';
  if (/unsupported or corrupt image|unsupported image format|corrupt/i.test(text)) return 'corrupt-image';
  if (UNREADABLE.test(text)) return 'unreadable';
  return 'other';
}

/** How many images share one failure, and the first few of them (relative paths). */
export interface FailureGroup {
  count: number;
  examples: string[];
}

/** The images of a run that were not masked, grouped. */
export interface FailureSummary {
  /** `error` images by category (only categories that occurred). */
  readonly errors: Partial<Record<FailureCategory, FailureGroup>>;
  readonly noFace: FailureGroup;
  readonly notVerified: FailureGroup;
}

/** Collects a {@link FailureSummary} entry by entry. */
export interface FailureTally {
  add(entry: Pick<ManifestRecord, 'source' | 'status' | 'reason'>): void;
  summary(): FailureSummary;
}

// keeps the alphabetically first examples, so the report does not depend on the order images finished in
function addTo(group: FailureGroup, source: string, maxExamples: number): void {
  group.count++;
  group.examples.push(source);
  group.examples.sort();
  if (group.examples.length > maxExamples) group.examples.pop();
}

/**
 * A tally of failures keeping up to `maxExamples` example paths per group (the alphabetically first).
 *
 * @example
 * const tally = createFailureTally();
 * tally.add({ source: 'b/x.jpg', status: 'error', reason: 'Cannot read image "b/x.jpg": empty file' });
 * tally.summary().errors['empty-file']; // { count: 1, examples: ['b/x.jpg'] }
 */
export function createFailureTally(maxExamples = 5): FailureTally {
  const errors: Partial<Record<FailureCategory, FailureGroup>> = {};
  const noFace: FailureGroup = { count: 0, examples: [] };
  const notVerified: FailureGroup = { count: 0, examples: [] };
  const groups: Partial<Record<MaskStatus, FailureGroup>> = {
    'no-face': noFace,
    'not-verified': notVerified,
  };
  return {
    add(entry) {
      if (entry.status === 'error') {
        const category = failureCategory(entry.reason ?? '');
        errors[category] ??= { count: 0, examples: [] };
        addTo(errors[category], entry.source, maxExamples);
      } else {
        const group = groups[entry.status];
        if (group) addTo(group, entry.source, maxExamples);
      }
    },
    summary() {
      const copy = (g: FailureGroup) => ({ count: g.count, examples: [...g.examples] });
      // categories in their fixed order, so reports and JSON are stable whatever the processing order
      const ordered: Partial<Record<FailureCategory, FailureGroup>> = {};
      for (const category of Object.keys(FAILURE_CATEGORIES) as FailureCategory[]) {
        const group = errors[category];
        if (group) ordered[category] = copy(group);
      }
      return { errors: ordered, noFace: copy(noFace), notVerified: copy(notVerified) };
    },
  };
}
