import { runLoad } from './load';
import type { LoadResult, LoadSpec } from './load-spec';

/** One side of a comparison; `load` is asked again every round (fresh tokens, that round's share of codes). */
export interface Contender {
  label: string;
  load: (round: number) => LoadSpec | Promise<LoadSpec>;
}

export interface RoundSettings {
  rounds: number;
  /** Called after every measurement, for progress on a run of several minutes. */
  onResult: (label: string, result: LoadResult) => void;
}

/**
 * Measures the contenders in turn, round after round (A, B, A, B, …), so that whatever else the
 * machine does at some moment falls on every side rather than on one. Answers each contender's
 * results by round.
 */
export async function inRounds(contenders: Contender[], settings: RoundSettings): Promise<LoadResult[][]> {
  const results: LoadResult[][] = contenders.map(() => []);
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const [index, contender] of contenders.entries()) {
      const result = await runLoad(contender.label, await contender.load(round));
      settings.onResult(contender.label, result);
      results[index].push(result);
    }
  }
  return results;
}
