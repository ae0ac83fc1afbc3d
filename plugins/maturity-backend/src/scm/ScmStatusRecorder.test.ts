import { MaturityScmHostStatus } from '@cnmaturity/plugin-maturity-common';
import { mergeHostStatuses, ScmStatusRecorder } from './ScmStatusRecorder';
import { ScmRequestBudget } from './RequestBudget';

function memoryRows() {
  const rows = new Map<string, MaturityScmHostStatus>();
  return {
    rows,
    put: async (key: string, status: MaturityScmHostStatus) => {
      rows.set(key, status);
    },
    list: async () => [...rows.values()],
  };
}

describe('ScmStatusRecorder', () => {
  it('records what each host held back, until when, and how long the unread repositories take', async () => {
    const budget = new ScmRequestBudget({ defaultLimit: 5000 });
    await budget.take('github.com', 'core', 10, { urgent: true });
    const rows = memoryRows();
    const recorder = new ScmStatusRecorder({
      rows,
      budget,
      now: () => new Date('2026-12-04T12:00:00.000Z'),
    });
    await recorder.record(
      new Map([
        [
          'github.com',
          {
            seen: 10_000,
            unread: 6_000,
            held: 250,
            heldUntil: new Date('2026-12-04T12:45:00.000Z'),
            heldReason: 'reads are paced over the hour to keep to the share',
          },
        ],
      ]),
    );
    expect(await recorder.current()).toEqual({
      hosts: [
        {
          host: 'github.com',
          updatedAt: '2026-12-04T12:00:00.000Z',
          repositories: { seen: 10_000, unread: 6_000, held: 250 },
          heldUntil: '2026-12-04T12:45:00.000Z',
          heldReason: 'reads are paced over the hour to keep to the share',
          // 6,250 reads of 2 requests at 2,500 an hour.
          estimateHours: 5,
          resources: [
            expect.objectContaining({
              resource: 'core',
              limit: 5000,
              allowance: 2500,
              spent: 10,
            }),
          ],
        },
      ],
    });
  });

  it('adds up the shards of one host and keeps the latest hold', () => {
    const base = {
      host: 'github.com',
      resources: [
        {
          resource: 'core' as const,
          limit: 5000,
          allowance: 2500,
          spent: 100,
        },
      ],
    };
    const merged = mergeHostStatuses([
      {
        ...base,
        updatedAt: '2026-12-04T12:00:00.000Z',
        repositories: { seen: 5000, unread: 1000, held: 0 },
        heldUntil: '2026-12-04T12:30:00.000Z',
        heldReason: 'a',
      },
      {
        ...base,
        updatedAt: '2026-12-04T12:01:00.000Z',
        repositories: { seen: 5000, unread: 1500, held: 0 },
        heldUntil: '2026-12-04T12:40:00.000Z',
        heldReason: 'b',
      },
      {
        ...base,
        host: 'ghe.example.com',
        updatedAt: '2026-12-04T12:02:00.000Z',
        repositories: { seen: 10, unread: 0, held: 0 },
      },
    ]);
    expect(merged).toEqual([
      expect.objectContaining({
        host: 'ghe.example.com',
        repositories: { seen: 10, unread: 0, held: 0 },
      }),
      expect.objectContaining({
        host: 'github.com',
        repositories: { seen: 10_000, unread: 2500, held: 0 },
        heldUntil: '2026-12-04T12:40:00.000Z',
        heldReason: 'b',
        estimateHours: 2,
      }),
    ]);
    expect(merged[0]).not.toHaveProperty('estimateHours');
  });
});
