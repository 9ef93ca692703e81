/**
 * An open-addressing hash table keyed by byte ranges of a Buffer. It maps the ids and labels of a
 * 650k-row CSV to dense indices without creating a JavaScript string per row: keys are copied once into
 * one growing byte arena, lookups compare bytes in place.
 */
const EMPTY = -1;

function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A table's arrays trimmed to its keys: what a solution snapshot stores, and rebuilds it from. */
export interface ByteTableParts {
  readonly arena: Uint8Array;
  readonly keyStart: Int32Array;
  readonly keyEnd: Int32Array;
  readonly keyHash: Uint32Array;
  readonly slots: Int32Array;
}

export class ByteTable {
  private arena: Uint8Array;
  private arenaUsed = 0;
  private keyStart: Int32Array;
  private keyEnd: Int32Array;
  private keyHash: Uint32Array;
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expectedKeys = 16) {
    const capacity = Math.max(16, expectedKeys);
    this.arena = new Uint8Array(capacity * 8);
    this.keyStart = new Int32Array(capacity);
    this.keyEnd = new Int32Array(capacity);
    this.keyHash = new Uint32Array(capacity);
    let slotCount = 32;
    while (slotCount < capacity * 2) slotCount *= 2;
    this.slots = new Int32Array(slotCount).fill(EMPTY);
    this.mask = slotCount - 1;
  }

  /** Rebuilds a table from its parts without hashing a key again; throws when they do not fit together. */
  static fromParts(parts: ByteTableParts): ByteTable {
    const count = parts.keyStart.length;
    const slotCount = parts.slots.length;
    let consistent =
      parts.keyEnd.length === count &&
      parts.keyHash.length === count &&
      slotCount >= 32 &&
      (slotCount & (slotCount - 1)) === 0 &&
      count * 2 <= slotCount;
    for (let index = 0; consistent && index < count; index++) {
      const start = parts.keyStart[index]!;
      const end = parts.keyEnd[index]!;
      consistent = start >= 0 && start <= end && end <= parts.arena.length;
    }
    for (let slot = 0; consistent && slot < slotCount; slot++) {
      const index = parts.slots[slot]!;
      consistent = index >= EMPTY && index < count;
    }
    if (!consistent) throw new Error('byte table parts do not fit together');
    const table = new ByteTable();
    table.arena = parts.arena;
    table.arenaUsed = parts.arena.length;
    table.keyStart = parts.keyStart;
    table.keyEnd = parts.keyEnd;
    table.keyHash = parts.keyHash;
    table.slots = parts.slots;
    table.mask = slotCount - 1;
    table.count = count;
    return table;
  }

  parts(): ByteTableParts {
    return {
      arena: this.arena.subarray(0, this.arenaUsed),
      keyStart: this.keyStart.subarray(0, this.count),
      keyEnd: this.keyEnd.subarray(0, this.count),
      keyHash: this.keyHash.subarray(0, this.count),
      slots: this.slots,
    };
  }

  /** Number of distinct keys. */
  get size(): number {
    return this.count;
  }

  /** Index of the key `bytes[start, end)`, or -1 when absent. */
  find(bytes: Uint8Array, start: number, end: number): number {
    const hash = fnv1a(bytes, start, end);
    let slot = hash & this.mask;
    for (;;) {
      const index = this.slots[slot]!;
      if (index === EMPTY) return -1;
      if (this.keyHash[index] === hash && this.equals(index, bytes, start, end)) return index;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds the key and returns its new index, or returns `-(existing index) - 1` if it was present. */
  add(bytes: Uint8Array, start: number, end: number): number {
    const hash = fnv1a(bytes, start, end);
    let slot = hash & this.mask;
    for (;;) {
      const index = this.slots[slot]!;
      if (index === EMPTY) break;
      if (this.keyHash[index] === hash && this.equals(index, bytes, start, end)) return -index - 1;
      slot = (slot + 1) & this.mask;
    }
    const index = this.count++;
    this.ensureKeyCapacity(end - start);
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.keyStart[index] = this.arenaUsed;
    this.keyEnd[index] = this.arenaUsed + (end - start);
    this.keyHash[index] = hash;
    this.arenaUsed += end - start;
    this.slots[slot] = index;
    if (this.count * 2 > this.slots.length) this.rehash();
    return index;
  }

  /** Adds a string key (UTF-8), with the same return convention as `add`. */
  addString(key: string): number {
    const bytes = Buffer.from(key, 'utf8');
    return this.add(bytes, 0, bytes.length);
  }

  /** Finds a string key (UTF-8). */
  findString(key: string): number {
    const bytes = Buffer.from(key, 'utf8');
    return this.find(bytes, 0, bytes.length);
  }

  /** The key at `index`, decoded as UTF-8 (for messages and exports, not for hot loops). */
  keyAt(index: number): string {
    return Buffer.from(
      this.arena.buffer,
      this.arena.byteOffset + this.keyStart[index]!,
      this.keyEnd[index]! - this.keyStart[index]!,
    ).toString('utf8');
  }

  private equals(index: number, bytes: Uint8Array, start: number, end: number): boolean {
    const keyStart = this.keyStart[index]!;
    const length = this.keyEnd[index]! - keyStart;
    if (length !== end - start) return false;
    const arena = this.arena;
    for (let i = 0; i < length; i++) {
      if (arena[keyStart + i] !== bytes[start + i]) return false;
    }
    return true;
  }

  private ensureKeyCapacity(extraBytes: number): void {
    if (this.count > this.keyStart.length) {
      const grown = this.keyStart.length * 2;
      this.keyStart = grow(this.keyStart, new Int32Array(grown));
      this.keyEnd = grow(this.keyEnd, new Int32Array(grown));
      this.keyHash = grow(this.keyHash, new Uint32Array(grown));
    }
    if (this.arenaUsed + extraBytes > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + extraBytes));
      next.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = next;
    }
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let index = 0; index < this.count; index++) {
      let slot = this.keyHash[index]! & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = index;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function grow<T extends Int32Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
