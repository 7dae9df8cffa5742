import { randomUUID } from 'node:crypto';
import { chainEnvelopes, GENESIS_HASH, MAX_LISTED_BREAKS, verifyChain } from '../../src/event-store/envelope';

function stream(length: number) {
  const pending = Array.from({ length }, (_, i) => ({
    type: 'ThingHappened',
    data: { i },
    metadata: {
      eventId: randomUUID(),
      occurredAt: '2026-03-02T02:00:00.000Z',
      actor: { sub: 'u', name: 'u', role: 'OFFICE' },
      correlationId: 'c',
      causationId: 'c',
      policy: 'p',
      schemaVersion: 1,
    },
  }));
  return chainEnvelopes(GENESIS_HASH, pending).map((event, revision) => ({ ...event, revision }));
}

describe('verifyChain reports every broken event, not only the first', () => {
  it('an intact chain: ok, every event checked, nothing listed', () => {
    expect(verifyChain(stream(5))).toEqual({ ok: true, checked: 5 });
  });

  it('re-anchors on an edited event, so each edit is reported once and its successors hold', () => {
    const events = stream(6);
    events[1] = { ...events[1], data: { i: 100 } };
    events[4] = { ...events[4], data: { i: 400 } };
    const check = verifyChain(events);
    expect(check).toMatchObject({
      ok: false,
      checked: 6,
      brokenCount: 2,
      brokenAt: { revision: 1, reason: 'HASH_MISMATCH', eventId: events[1].metadata.eventId },
    });
    expect(check.broken).toEqual([
      { revision: 1, eventId: events[1].metadata.eventId, reason: 'HASH_MISMATCH' },
      { revision: 4, eventId: events[4].metadata.eventId, reason: 'HASH_MISMATCH' },
    ]);
  });

  it('a removed middle event is one REVISION_GAP at the event after it', () => {
    const events = stream(5);
    const check = verifyChain([...events.slice(0, 2), ...events.slice(3)]);
    expect(check).toMatchObject({ ok: false, checked: 4, brokenCount: 1 });
    expect(check.broken).toEqual([{ revision: 3, eventId: events[3].metadata.eventId, reason: 'REVISION_GAP' }]);
  });

  it('a re-linked event (prevHash changed) is a LINK_MISMATCH', () => {
    const events = stream(3);
    events[2] = { ...events[2], metadata: { ...events[2].metadata, prevHash: GENESIS_HASH } };
    expect(verifyChain(events).broken).toEqual([
      { revision: 2, eventId: events[2].metadata.eventId, reason: 'LINK_MISMATCH' },
    ]);
  });

  it(
    'an event that no longer parses is one UNREADABLE; ' +
      'the walk goes on from its stored hash or, without it, trusts the next link',
    () => {
      const events = stream(4);
      const withHash = verifyChain([
        events[0],
        { revision: 1, unreadable: true, eventId: 'e1', hash: events[1].metadata.hash },
        events[2],
        events[3],
      ]);
      expect(withHash).toMatchObject({
        ok: false,
        checked: 4,
        brokenCount: 1,
        broken: [{ revision: 1, eventId: 'e1', reason: 'UNREADABLE' }],
      });
      const withoutHash = verifyChain([events[0], { revision: 1, unreadable: true }, events[2], events[3]]);
      expect(withoutHash).toMatchObject({ brokenCount: 1, broken: [{ revision: 1, reason: 'UNREADABLE' }] });
    },
  );

  it(`lists at most ${MAX_LISTED_BREAKS} broken events but counts them all`, () => {
    const events = stream(MAX_LISTED_BREAKS + 5).map((e) => ({ ...e, data: { edited: true } }));
    const check = verifyChain(events);
    expect(check.brokenCount).toBe(MAX_LISTED_BREAKS + 5);
    expect(check.broken).toHaveLength(MAX_LISTED_BREAKS);
    expect(check.brokenAt).toMatchObject({ revision: 0 });
  });
});
