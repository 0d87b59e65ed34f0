import { bootstrapEer, seededRandom, verificationReport } from '@mfr/metrics';
import { describe, expect, it } from 'vitest';
import { normalSamples } from './helpers.js';

const genuine = normalSamples(400, 0.7, 0.1, 1);
const impostor = normalSamples(1200, 0.45, 0.1, 2);

describe('bootstrapEer', () => {
  it('is reproducible for a seed and different for another seed', () => {
    const a = bootstrapEer({ genuine, impostor }, { samples: 100, seed: 5 });
    const b = bootstrapEer({ genuine, impostor }, { samples: 100, seed: 5 });
    const c = bootstrapEer({ genuine, impostor }, { samples: 100, seed: 6 });
    expect(a).toEqual(b);
    expect(c.lower).not.toBe(a.lower);
    expect(a.resampling).toBe('score');
  });
  it('brackets the EER with a plausible width', () => {
    const r = bootstrapEer({ genuine, impostor }, { samples: 300, seed: 3 });
    expect(r.eer).toBeCloseTo(verificationReport({ genuine, impostor }).eer, 12);
    expect(r.lower).toBeLessThan(r.eer);
    expect(r.upper).toBeGreaterThan(r.eer);
    // binomial-scale standard error ~ sqrt(p(1-p)/n) ~ 0.01: a 95% interval a few points wide
    expect(r.upper - r.lower).toBeGreaterThan(0.01);
    expect(r.upper - r.lower).toBeLessThan(0.08);
  });
  it('resamples identities when given, and is wider when scores of a person are correlated', () => {
    // 40 identities; each identity shifts all of its scores together
    const persons = 40;
    const scores: number[] = [];
    const labels: number[] = [];
    const identities: string[] = [];
    const random = seededRandom(9);
    for (let p = 0; p < persons; p++) {
      const shift = (random() - 0.5) * 0.3;
      for (let i = 0; i < 10; i++) {
        scores.push(0.7 + shift + (random() - 0.5) * 0.1, 0.45 + shift + (random() - 0.5) * 0.1);
        labels.push(1, 0);
        identities.push(`p${p}`, `p${p}`);
      }
    }
    const byIdentity = bootstrapEer({ scores, labels }, { samples: 200, seed: 1, identities });
    const byScore = bootstrapEer({ scores, labels }, { samples: 200, seed: 1 });
    expect(byIdentity.resampling).toBe('identity');
    expect(byIdentity.upper - byIdentity.lower).toBeGreaterThan(byScore.upper - byScore.lower);
  });
  it('accepts a caller random and validates identities', () => {
    const r = bootstrapEer({ genuine, impostor }, { samples: 20, random: seededRandom(1) });
    expect(r.samples).toBe(20);
    expect(() => bootstrapEer({ scores: [0.1, 0.9], labels: [0, 1] }, { identities: ['a'] })).toThrow(
      /one entry per score/,
    );
  });
  it('runs inside verificationReport with the same seed', () => {
    const r = verificationReport({ genuine, impostor }, { bootstrap: { samples: 50, seed: 2 } });
    expect(r.eerInterval).toEqual(bootstrapEer({ genuine, impostor }, { samples: 50, seed: 2 }));
  });
});
