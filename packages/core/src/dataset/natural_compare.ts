/**
 * Natural ordering for names with numbers ("s2" < "s10", "2.png" < "10.png"), independent of locale so
 * every machine sorts the same way. Digit runs compare by value, other runs by UTF-16 code units; ties
 * (e.g. "01" vs "1") fall back to plain code-unit order, so the order is total.
 *
 * @example
 * ['s10', 's2', 's1'].sort(naturalCompare); // ['s1', 's2', 's10']
 */
export function naturalCompare(a: string, b: string): number {
  const chunk = /(\d+|\D+)/g;
  const pa = a.match(chunk) ?? [];
  const pb = b.match(chunk) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    const xd = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const yd = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (xd && yd) {
      // compare digit runs by value without Number overflow: strip leading zeros, then length, then text
      const xs = x.replace(/^0+/, '');
      const ys = y.replace(/^0+/, '');
      if (xs.length !== ys.length) return xs.length - ys.length;
      if (xs !== ys) return xs < ys ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return a === b ? 0 : a < b ? -1 : 1;
}
