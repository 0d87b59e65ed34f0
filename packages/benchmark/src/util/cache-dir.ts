import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the commands cache masked copies and embeddings by default: `MFR_CACHE`, else `$XDG_CACHE_HOME/mfr`,
 * else `~/.cache/mfr`. Never inside a git work tree unasked: masked copies of private photos stay with the user.
 *
 * @example
 * defaultCacheDir({ XDG_CACHE_HOME: '/tmp/c' }); // '/tmp/c/mfr'
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MFR_CACHE) return resolve(env.MFR_CACHE);
  return join(resolve(env.XDG_CACHE_HOME || join(homedir(), '.cache')), 'mfr');
}
