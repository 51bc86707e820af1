import { describe, expect, it } from 'vitest';
import { deepFlowNestAt } from '../../sim/scenario/deepNest.js';

describe('deepFlowNestAt: where a flow nest first goes deeper than the limit', () => {
  it('is the bracket that opens the first level past the limit', () => {
    expect(deepFlowNestAt('x: [[[1]]]', 2)).toEqual({ line: 1, col: 6 });
    expect(deepFlowNestAt('a: 1\nx: [{y: [1]}]', 2)).toEqual({ line: 2, col: 9 });
  });

  it('is null when no nest goes that deep: closed brackets do not add up', () => {
    expect(deepFlowNestAt('x: [[1]]\ny: [[2]]\nz: {a: [3]}', 2)).toBeNull();
  });

  it('skips brackets in quoted scalars (with their escapes) and in comments', () => {
    expect(deepFlowNestAt('a: "[[[\\"[["\nb: \'[[[\'\'[[\'\n# [[[[\nc: [1] # [[[\nd: [[[', 2)).toEqual({ line: 5, col: 6 });
  });

  it('does not take an apostrophe inside a plain scalar for a quote', () => {
    expect(deepFlowNestAt("d: it's [[[1]]]", 2)).toEqual({ line: 1, col: 11 });
  });
});
