/**
 * Integer ids for n-grams, so BLEU can count and clip them in typed arrays instead of hashing joined
 * strings. Tokens get ids from a string map; an n-gram of order n > 1 is the pair (id of its (n-1)-gram
 * prefix, id of its last token), and a pair table per order gives each distinct pair the next id.
 */

/** Open-addressing hash table from a pair of non-negative int32 to a dense id. */
class PairTable {
  private firsts = new Int32Array(1024);
  private seconds = new Int32Array(1024);
  private slots = new Int32Array(2048).fill(-1);
  private mask = 2047;
  size = 0;

  private static hash(first: number, second: number): number {
    return (Math.imul(first, 0x9e3779b1) ^ Math.imul(second ^ (second >>> 15), 0x85ebca6b)) >>> 0;
  }

  /** The id of (first, second), adding it when new. */
  intern(first: number, second: number): number {
    let slot = PairTable.hash(first, second) & this.mask;
    for (;;) {
      const id = this.slots[slot]!;
      if (id === -1) break;
      if (this.firsts[id] === first && this.seconds[id] === second) return id;
      slot = (slot + 1) & this.mask;
    }
    const id = this.size++;
    if (id === this.firsts.length) {
      const firsts = new Int32Array(id * 2);
      firsts.set(this.firsts);
      this.firsts = firsts;
      const seconds = new Int32Array(id * 2);
      seconds.set(this.seconds);
      this.seconds = seconds;
    }
    this.firsts[id] = first;
    this.seconds[id] = second;
    this.slots[slot] = id;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = PairTable.hash(this.firsts[id]!, this.seconds[id]!) & this.mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot] = id;
    }
  }
}

export class NgramIndex {
  private readonly tokenIds = new Map<string, number>();
  private readonly composed: PairTable[];
  /** Distinct n-grams seen so far, per order (index 0 = unigrams). */
  readonly sizes: number[];

  constructor(readonly maxOrder: number) {
    this.composed = Array.from({ length: maxOrder }, () => new PairTable());
    this.sizes = new Array<number>(maxOrder).fill(0);
  }

  /**
   * Fills `out[n - 1]` with the ids of the sentence's n-grams for n = 1..maxOrder (position order) and
   * returns the number of tokens. `out` arrays are reused across calls and grown as needed.
   */
  index(tokens: readonly string[], out: Int32Array[]): number {
    const length = tokens.length;
    for (let n = 0; n < this.maxOrder; n++)
      if (out[n]!.length < length) out[n] = new Int32Array(Math.max(length, out[n]!.length * 2));
    const unigrams = out[0]!;
    for (let i = 0; i < length; i++) {
      const token = tokens[i]!;
      let id = this.tokenIds.get(token);
      if (id === undefined) {
        id = this.tokenIds.size;
        this.tokenIds.set(token, id);
        this.sizes[0] = id + 1;
      }
      unigrams[i] = id;
    }
    for (let n = 1; n < this.maxOrder; n++) {
      const prefixes = out[n - 1]!;
      const ids = out[n]!;
      const table = this.composed[n]!;
      for (let i = 0; i + n < length; i++) ids[i] = table.intern(prefixes[i]!, unigrams[i + n]!);
      this.sizes[n] = table.size;
    }
    return length;
  }
}

/** A counter per id with a list of the ids it touched, so clearing costs what was counted. */
export class SparseCounter {
  counts = new Int32Array(1024);
  touched = new Int32Array(1024);
  touchedCount = 0;

  ensure(size: number): void {
    if (size <= this.counts.length) return;
    let capacity = this.counts.length;
    while (capacity < size) capacity *= 2;
    const counts = new Int32Array(capacity);
    counts.set(this.counts);
    this.counts = counts;
  }

  add(id: number): void {
    if (this.counts[id]!++ === 0) {
      if (this.touchedCount === this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.touchedCount++] = id;
    }
  }

  clear(): void {
    for (let i = 0; i < this.touchedCount; i++) this.counts[this.touched[i]!] = 0;
    this.touchedCount = 0;
  }
}
