/**
 * What differs between Node and browsers under `@mfr/siamese`'s browser-safe entry. `#siamese-platform`
 * (package.json `imports`) resolves to platform/node.ts under Node and to platform/browser.ts elsewhere.
 */
export interface SiamesePlatform {
  /** The shipped model's folder when the caller names none (Node: inside this package; browsers: none). */
  defaultModel(name: string): string;
}
