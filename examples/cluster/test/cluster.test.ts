import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMaskManifest } from '@mfr/masking/node';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';

const here = fileURLToPath(new URL('..', import.meta.url));
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mfr-cluster-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, checked field by field below
type Doc = any;
const k8s = (name: string): Doc[] => {
  const docs = parseAllDocuments(readFileSync(join(here, 'k8s', name), 'utf8'));
  for (const d of docs) expect(d.errors, name).toEqual([]);
  return docs.map((d) => d.toJS());
};
const jobs = Object.fromEntries(
  ['mask', 'merge', 'bench-embed', 'bench-report'].map((step) => [step, k8s(`${step}-job.yaml`)[0]]),
);
const containerOf = (job: Doc) => job.spec.template.spec.containers[0];

/** `mfr <command> --help`, from the sources. */
const helpOf = (command: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'packages/benchmark/src/cli.ts', command, '--help'], {
    cwd: repo,
    encoding: 'utf8',
  }).stdout;

describe('examples/cluster: the Kubernetes manifests', () => {
  const claim = k8s('pvc.yaml')[0];

  it('are Jobs of batch/v1 with the fields an Indexed Job needs, sharing one ReadWriteMany volume', () => {
    expect(claim).toMatchObject({ apiVersion: 'v1', kind: 'PersistentVolumeClaim' });
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
    for (const [step, job] of Object.entries(jobs)) {
      expect(job, step).toMatchObject({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: `mfr-${step}` },
      });
      const pod = job.spec.template.spec;
      expect(['Never', 'OnFailure'], step).toContain(pod.restartPolicy);
      expect(Number.isInteger(job.spec.backoffLimit), step).toBe(true);
      expect(pod.containers).toHaveLength(1);
      const container = containerOf(job);
      expect(container.image, step).toBe(containerOf(jobs.mask).image);
      expect(
        container.args.every((a: unknown) => typeof a === 'string'),
        step,
      ).toBe(true);
      const mount = container.volumeMounts[0];
      const volume = pod.volumes.find((v: Doc) => v.name === mount.name);
      expect(volume.persistentVolumeClaim.claimName, step).toBe(claim.metadata.name);
      // every path the job reads or writes is on the shared volume
      for (const arg of container.args.filter((a: string) => a.startsWith('/')))
        expect(arg.startsWith(`${mount.mountPath}/`), `${step}: ${arg}`).toBe(true);
    }
  });

  it('give every shard its index and the shard count (MFR_SHARD_COUNT = completions)', () => {
    for (const step of ['mask', 'bench-embed']) {
      const { spec } = jobs[step];
      expect(spec.completionMode, step).toBe('Indexed');
      expect(spec.completions, step).toBeGreaterThan(1);
      expect(spec.parallelism, step).toBeLessThanOrEqual(spec.completions);
      const env = containerOf(jobs[step]).env.find((e: Doc) => e.name === 'MFR_SHARD_COUNT');
      expect(env.value, step).toBe(String(spec.completions));
    }
    for (const step of ['merge', 'bench-report'])
      expect(jobs[step].spec.completionMode, step).toBeUndefined();
  });

  it('chain the steps: merge the mask output, benchmark it with the same options in both bench jobs', () => {
    const [, input, maskOut] = containerOf(jobs.mask).args;
    expect(containerOf(jobs.merge).args).toEqual(['merge', maskOut]);
    const embed = containerOf(jobs['bench-embed']).args as string[];
    const report = containerOf(jobs['bench-report']).args as string[];
    expect(embed[embed.indexOf('--datasets') + 1]).toBe(input);
    expect(embed[embed.indexOf('--masked-dir') + 1]).toBe(maskOut);
    // the report run is the embed run plus --out: same pairs, same cache
    expect(report.slice(0, embed.length)).toEqual(embed);
    expect(report.slice(embed.length)[0]).toBe('--out');
    const run = readFileSync(join(here, 'k8s', 'run.sh'), 'utf8');
    expect(run).toMatch(/for step in mask merge bench-embed bench-report/);
  });

  it('use only options the mfr commands have', () => {
    for (const [step, job] of Object.entries(jobs)) {
      const [command, ...args] = containerOf(job).args as string[];
      const help = helpOf(command);
      expect(help, step).toContain(`Usage: mfr ${command}`);
      for (const flag of args.filter((a) => a.startsWith('--')))
        expect(help, `${step} ${flag}`).toContain(flag);
    }
  });
});

describe('examples/cluster: the Dockerfile', () => {
  it('builds the CLI from a frozen lockfile and runs it as the entrypoint', () => {
    const text = readFileSync(join(here, 'Dockerfile'), 'utf8');
    expect(text).toMatch(/^FROM node:20/m);
    expect(text).toMatch(/pnpm install --frozen-lockfile && pnpm build/);
    expect(text).toMatch(/^ENTRYPOINT \["node", "\/opt\/mfr\/packages\/benchmark\/dist\/cli\.js"\]/m);
    expect(readFileSync(join(here, 'Dockerfile.dockerignore'), 'utf8')).toMatch(/\*\*\/node_modules/);
  });
});

describe('examples/cluster: the Slurm scripts', () => {
  it('mask a dataset as a job array, merge, embed as a job array and report, in dependency order', async () => {
    const data = join(work, 'faces');
    await writeSampleDataset(data, { identities: 6, perIdentity: 3 });
    const bin = join(work, 'bin');
    const stub = join(work, 'stub');
    mkdirSync(bin, { recursive: true });
    mkdirSync(stub, { recursive: true });
    copyFileSync(join(here, 'test', 'sbatch-stub.sh'), join(bin, 'sbatch'));
    chmodSync(join(bin, 'sbatch'), 0o755);
    const out = join(work, 'run');
    const r = spawnSync('bash', [join(here, 'slurm', 'submit.sh'), data, out, '2', 'baseline:mobileface'], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 400_000,
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        SBATCH_STUB_DIR: stub,
        MFR: `${process.execPath} --import tsx ${join(repo, 'packages/benchmark/src/cli.ts')}`,
        MFR_BACKEND: 'wasm',
        MFR_DEBUG: '',
      },
    });
    const logs = readdirSync(stub)
      .filter((n) => n.endsWith('.log'))
      .map((n) => `${n}:\n${readFileSync(join(stub, n), 'utf8').slice(-1500)}`)
      .join('\n');
    expect(r.status, `${r.stderr}\n${logs}`).toBe(0);
    const submissions = readFileSync(join(stub, 'submissions.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(submissions.map(([, name, array]) => [name, array])).toEqual([
      ['mfr-mask', '0-1'],
      ['mfr-merge', ''],
      ['mfr-embed', '0-1'],
      ['mfr-report', ''],
    ]);
    expect(submissions.slice(1).map(([, , , dep]) => dep)).toEqual(
      submissions.slice(0, 3).map(([id]) => `afterok:${id}`),
    );
    expect(readFileSync(join(stub, 'status'), 'utf8').trim().split('\n')).toEqual(
      submissions.map(([id]) => `${id} ok`),
    );
    // each mask task ran its own shard
    expect(readFileSync(join(stub, '100-1.log'), 'utf8')).toMatch(/shard 1\/2/);
    const manifest = await readMaskManifest(join(out, 'masked'));
    expect(manifest.entries.size).toBe(18);
    const results = JSON.parse(readFileSync(join(out, 'report', 'results.json'), 'utf8'));
    expect(results.datasets[0].maskSource).toBe('real');
    expect(results.results[0].pairs).toBeGreaterThan(10);
  });
});
