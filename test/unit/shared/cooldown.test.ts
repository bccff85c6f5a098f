import {
	type CooldownStaticData,
	readCooldownMinutes,
	recordCheckIn,
	repeatOf,
	staticDataStore,
} from '../../../nodes/shared/cooldown';

const T0 = Date.parse('2026-03-02T14:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('the repeat check', () => {
	it('a repeat less than cooldown minutes apart is a duplicate, in either order', async () => {
		const store = staticDataStore({});
		await recordCheckIn(store, 'a@b.co', T0, '1', 60);
		expect(await repeatOf(store, 'a@b.co', T0 + 59 * MIN, 60)).toEqual({ at: T0, personId: '1' });
		expect(await repeatOf(store, 'a@b.co', T0 - 59 * MIN, 60)).toBeDefined();
		expect(await repeatOf(store, 'a@b.co', T0 + 60 * MIN, 60)).toBeUndefined();
		expect(await repeatOf(store, 'c@d.co', T0, 60)).toBeUndefined();
	});

	it('a cooldown of 0 minutes turns it off', async () => {
		const store = staticDataStore({});
		await recordCheckIn(store, 'a@b.co', T0, '1', 0);
		expect(await repeatOf(store, 'a@b.co', T0, 0)).toBeUndefined();
		// The entry is still remembered, for the next item with a cooldown.
		expect(await repeatOf(store, 'a@b.co', T0 + MIN, 60)).toEqual({ at: T0, personId: '1' });
	});

	it('Cooldown Minutes is a whole number of at least 0, 60 when absent; anything else fails naming the field and the item', () => {
		expect(readCooldownMinutes(undefined, 0)).toBe(60);
		expect(readCooldownMinutes(0, 0)).toBe(0);
		expect(readCooldownMinutes('15', 0)).toBe(15);
		expect(() => readCooldownMinutes(-1, 3)).toThrow('Item 3: "Cooldown Minutes" must be a whole number of at least 0 (got -1)');
		expect(() => readCooldownMinutes(1.5, 0)).toThrow('"Cooldown Minutes" must be a whole number of at least 0');
		expect(() => readCooldownMinutes('soon', 0)).toThrow('"Cooldown Minutes"');
	});
});

describe('the memory in static data', () => {
	it('keeps the later check-in of a person: an older replay does not move it back', async () => {
		const data: CooldownStaticData = {};
		const store = staticDataStore(data);
		await recordCheckIn(store, 'a@b.co', T0, '1', 60);
		await recordCheckIn(store, 'a@b.co', T0 - 10 * MIN, '1', 60);
		expect(data.lastCheckIns).toEqual({ 'a@b.co': { at: T0, personId: '1' } });
	});

	it('drops entries more than a day older than the newest one, by the entries’ own clock', async () => {
		const data: CooldownStaticData = {};
		const store = staticDataStore(data);
		await recordCheckIn(store, 'old@b.co', T0 - 25 * HOUR, '1', 60);
		await recordCheckIn(store, 'yesterday@b.co', T0 - 23 * HOUR, '2', 60);
		await recordCheckIn(store, 'now@b.co', T0, '3', 60);
		expect(Object.keys(data.lastCheckIns!).sort()).toEqual(['now@b.co', 'yesterday@b.co']);
		// A late delivery within the day still meets its entry.
		expect(await repeatOf(store, 'yesterday@b.co', T0 - 23 * HOUR + 5 * MIN, 60)).toEqual({ at: T0 - 23 * HOUR, personId: '2' });
	});

	it('keeps entries for the whole cooldown when it is longer than a day', async () => {
		const data: CooldownStaticData = {};
		const store = staticDataStore(data);
		await recordCheckIn(store, 'a@b.co', T0 - 36 * HOUR, '1', 48 * 60);
		await recordCheckIn(store, 'c@d.co', T0, '2', 48 * 60);
		expect(await repeatOf(store, 'a@b.co', T0, 48 * 60)).toEqual({ at: T0 - 36 * HOUR, personId: '1' });
		await recordCheckIn(store, 'e@f.co', T0 + 13 * HOUR, '3', 48 * 60);
		expect(Object.keys(data.lastCheckIns!).sort()).toEqual(['c@d.co', 'e@f.co']);
	});

	it('a replay of an entry two days old leaves the others in memory', async () => {
		const data: CooldownStaticData = {};
		const store = staticDataStore(data);
		await recordCheckIn(store, 'a@b.co', T0 - 5 * MIN, '1', 60);
		await recordCheckIn(store, 'c@d.co', T0, '2', 60);
		await recordCheckIn(store, 'late@b.co', T0 - 48 * HOUR, '3', 60);
		expect(Object.keys(data.lastCheckIns!).sort()).toEqual(['a@b.co', 'c@d.co']);
		expect(await repeatOf(store, 'a@b.co', T0, 60)).toBeDefined();
	});

	it('reads what earlier versions saved (TeamUp {at, customerId}, Glofox a bare instant) and survives junk', async () => {
		const data = {
			lastCheckIns: { 'teamup@b.co': { at: T0, customerId: '7' }, 'glofox@b.co': T0 - MIN, 'junk@b.co': 'nonsense', 'nan@b.co': { at: 'x' } },
		} as CooldownStaticData;
		const store = staticDataStore(data);
		expect(await repeatOf(store, 'teamup@b.co', T0 + MIN, 60)).toEqual({ at: T0, personId: '7' });
		expect(await repeatOf(store, 'glofox@b.co', T0, 60)).toEqual({ at: T0 - MIN, personId: null });
		expect(await repeatOf(store, 'junk@b.co', T0, 60)).toBeUndefined();
		await recordCheckIn(store, 'x@y.co', T0, null, 60);
		expect(Object.keys(data.lastCheckIns!).sort()).toEqual(['glofox@b.co', 'teamup@b.co', 'x@y.co']);
	});
});
