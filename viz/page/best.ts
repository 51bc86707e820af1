/**
 * The value to mark ★ in a column of the comparison (the terminal table and the report
 * share this): the best one, or null when there is nothing to single out — fewer than two
 * variants, no values, or every variant tied. Infinity ("did not recover") takes part, as the
 * worst of a lower-is-better column: a lone variant that recovers is the best one. NaN and
 * null (not measured) do not.
 */
export function bestValue(values: Array<number | null>, higherBetter: boolean): number | null {
  if (values.length < 2) return null;
  const xs = values.filter((x): x is number => x !== null && !Number.isNaN(x));
  if (xs.length === 0) return null;
  const b = higherBetter ? Math.max(...xs) : Math.min(...xs);
  if (!Number.isFinite(b)) return null;
  return xs.every((x) => x === b) ? null : b;
}
