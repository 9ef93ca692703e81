/**
 * The buckets of the board's rank tree (prisma/migrations/20261202000500_board_rank_tree): the top
 * 24 bits of a sortKey's float8 bits, as an order-preserving unsigned number. The trigger computes
 * them in SQL; a rank query computes them here, so the two must agree bit for bit (a test compares
 * them on awkward values).
 */
const BUCKET_BITS = 24n;
/** How many buckets there are (2^24): a bucket at or above it holds nothing. */
export const RANK_BUCKETS = 2 ** Number(BUCKET_BITS);
const DROPPED_BITS = 64n - BUCKET_BITS;
const SIGN = 1n << 63n;
const ALL_BITS = (1n << 64n) - 1n;
const scratch = new DataView(new ArrayBuffer(8));

/** The bucket of a sortKey (0 ≤ bucket < 2^24); -0 is bucketed as 0, which it equals. */
export function rankBucketOf(sortKey: number): number {
  scratch.setFloat64(0, sortKey + 0);
  const bits = scratch.getBigUint64(0);
  const ordered = (bits & SIGN) !== 0n ? ~bits & ALL_BITS : bits | SIGN;
  return Number(ordered >> DROPPED_BITS);
}

/**
 * The least sortKey of a bucket, or null where that is minus infinity or below every number (the
 * lowest buckets): every entry of the bucket is at or above it, every entry of a lower one below it.
 */
export function rankBucketFloor(bucket: number): number | null {
  const ordered = BigInt(bucket) << DROPPED_BITS;
  const bits = (ordered & SIGN) !== 0n ? ordered ^ SIGN : ~ordered & ALL_BITS;
  scratch.setBigUint64(0, bits);
  const floor = scratch.getFloat64(0);
  return Number.isNaN(floor) || floor === -Infinity ? null : floor;
}

/** The tree nodes whose sum is the number of entries in buckets below `bucket` (Fenwick prefix). */
export function nodesBelow(bucket: number): number[] {
  const nodes: number[] = [];
  for (let node = bucket; node > 0; node -= node & -node) nodes.push(node);
  return nodes;
}
