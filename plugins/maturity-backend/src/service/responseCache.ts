/**
 * The last few response bodies by key, least recently used dropped first.
 * Keys carry the results version, so a write anywhere makes them miss.
 */
export class ResponseCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly size: number) {}

  get(key: string): string | undefined {
    const body = this.entries.get(key);
    if (body !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, body);
    }
    return body;
  }

  set(key: string, body: string): void {
    this.entries.delete(key);
    this.entries.set(key, body);
    while (this.entries.size > this.size) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }
}
