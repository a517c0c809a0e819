// Upstream helper.DefaultNormalizeScore: rescales raw scores so the highest becomes maxPriority
// (integer division, as upstream), optionally reversed so the lowest raw count scores best.
// Worked example: raw [0, 2, 4], max 100 → [0, 50, 100]; reversed → [100, 50, 0].
import { MAX_NODE_SCORE, type NodeScore } from './types.js';

export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): void {
  let maxCount = 0;
  for (const s of scores) maxCount = Math.max(maxCount, s.score);
  if (maxCount === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    let v = Math.trunc((maxPriority * s.score) / maxCount);
    if (reverse) v = maxPriority - v;
    s.score = v;
  }
}

export const normalizeToMax = (reverse: boolean) => (scores: NodeScore[]) => defaultNormalizeScore(MAX_NODE_SCORE, reverse, scores);
