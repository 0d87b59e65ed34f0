import { InvalidArgumentError } from 'commander';

/**
 * Commander option parser for integers; rejects fractions, text and values below `min` with a usage error.
 *
 * @example
 * program.option('--epochs <n>', 'training epochs', parseIntOption({ min: 1 }), 10);
 */
export function parseIntOption(options: { min?: number; max?: number } = {}): (value: string) => number {
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = options;
  return (value: string) => {
    const trimmed = value.trim();
    if (!/^[-+]?\d+$/.test(trimmed)) throw new InvalidArgumentError(`expected an integer, got "${value}".`);
    const parsed = Number.parseInt(trimmed, 10);
    if (parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected an integer in [${min}, ${max}], got ${parsed}.`);
    }
    return parsed;
  };
}

/**
 * Commander option parser for finite numbers within [min, max].
 *
 * @example
 * program.option('--lr <x>', 'learning rate', parseFloatOption({ min: 0 }), 0.03);
 */
export function parseFloatOption(options: { min?: number; max?: number } = {}): (value: string) => number {
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = options;
  return (value: string) => {
    const parsed = Number(value.trim());
    if (value.trim() === '' || !Number.isFinite(parsed)) {
      throw new InvalidArgumentError(`expected a number, got "${value}".`);
    }
    if (parsed < min || parsed > max)
      throw new InvalidArgumentError(`expected a number in [${min}, ${max}], got ${parsed}.`);
    return parsed;
  };
}

/**
 * Commander option parser for comma-separated lists (`--datasets lfw,orl`); empty items are dropped and each
 * item can be converted (and validated) by `convert`.
 *
 * @example
 * program.option('--far <list>', 'FAR targets', parseListOption(parseFloatOption({ min: 0, max: 1 })));
 * program.option('--datasets <list>', 'datasets', parseListOption());
 */
export function parseListOption<T = string>(
  convert: (item: string) => T = (item) => item as unknown as T,
): (value: string) => T[] {
  return (value: string) => {
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
    if (items.length === 0)
      throw new InvalidArgumentError(`expected a comma-separated list, got "${value}".`);
    return items.map(convert);
  };
}
