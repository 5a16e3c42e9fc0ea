// Items kept in time order in memory, with range lookups by binary search and a bounded length.
// The usage log appends at the time a request finishes, so appends are nearly always at the end;
// the rare earlier item (the clock stepped back) is inserted in place.

export interface Timed {
  readonly time: number;
}

export class TimeBuffer<T extends Timed> {
  private items: T[] = [];
  /** Items before this index are dropped; they are removed in one splice once there are enough. */
  private head = 0;

  constructor(private readonly maxItems: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  add(item: T): void {
    const items = this.items;
    if (items.length === this.head || items[items.length - 1].time <= item.time) items.push(item);
    else items.splice(this.lowerBound(item.time + 1), 0, item);
    if (this.length > this.maxItems) this.head++;
    this.compact();
  }

  /** Drops every item older than `time`. */
  dropBefore(time: number): void {
    this.head = Math.max(this.head, this.lowerBound(time));
    this.compact();
  }

  /** Items with from <= time < to, oldest first (a copy-free view is not worth a second API). */
  range(from: number, to: number): T[] {
    return this.items.slice(this.lowerBound(from), this.lowerBound(to));
  }

  /** Index of the first live item with item.time >= time. */
  private lowerBound(time: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid].time < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compact(): void {
    // Amortised: a splice per request would copy the whole array every time the buffer is full.
    if (this.head > 1024 && this.head * 4 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
  }
}
