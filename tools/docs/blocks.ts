/** README text with the generated block between `start` and `end` (markers included) replaced by `block`. */
export function withBlock(readme: string, start: string, end: string, block: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${start} … ${end}`);
  return readme.slice(0, from) + block + readme.slice(to + end.length);
}
