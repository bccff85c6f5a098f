import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normaliseEmail } from '../../../AccessRuleEvaluator/engine/email';
import {
	type AccessProfileParameters,
	accessProfileProperties,
	type PeopleList,
	peopleOption,
	readAccessProfileParameters,
	readPeople,
} from '../../../shared/accessProfileParameters';
import type { ApiClient } from '../../../shared/http';
import { asNodeError, errorMessage, forEachItem } from '../../../shared/items';
import type { OperationOption } from '../../../shared/router';
import { buildProfiles } from '../../mapping/profile';
import { fetchTeamUpData } from './fetch';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many access profiles',
	description: 'One item per customer with memberships and registrations, ready for the Access Rule Evaluator',
} as const satisfies OperationOption;

const properties = accessProfileProperties(
	{ people: 'customers', sessions: 'Registrations', relevant: 'customers with an active membership or a registration in the window' },
	[
		{
			displayName: 'Include Courses',
			name: 'includeCourses',
			type: 'boolean',
			default: false,
			description: 'Whether to also read course sessions and their attendances (kind "course"); two more lists',
		},
		peopleOption('TeamUp customer IDs'),
	],
);

export const description = updateDisplayOptions({ show: { resource: ['accessProfile'], operation: ['getAll'] } }, properties);

/** A TeamUp customer id: a positive whole number. */
const isCustomerId = (text: string) => /^\d+$/.test(text) && Number(text) > 0;

/** What one item asks for. */
interface Request {
	itemIndex: number;
	parameters: AccessProfileParameters;
	includeCourses: boolean;
	/** For These People, or undefined for the whole listing. */
	people?: PeopleList;
}

/**
 * Items asking For These People with the same settings: one read of TeamUp for all of them (the
 * business-wide lists once, the people's own lists by id), each person output once.
 */
interface Batch {
	first: Request;
	ids: string[];
	emails: string[];
	/** Which items named each id or e-mail. */
	askedBy: Map<string, number[]>;
}

const lines = (values: string[]) => values.slice(0, 20).join(', ') + (values.length > 20 ? ` and ${values.length - 20} more` : '');

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	const warnings = new Set<string>();
	const read = (itemIndex: number): Request => {
		const parameters = readAccessProfileParameters(this, itemIndex);
		return { itemIndex, parameters, includeCourses: parameters.options.includeCourses === true, people: readPeople(this, itemIndex, isCustomerId) };
	};
	const fetchProfiles = async (request: Request, people?: { ids: string[]; emails: string[] }) => {
		const { now, lookAheadHours, lookBackHours, includeInactive, limit } = request.parameters;
		const { data, warnings: found, notFound } = await fetchTeamUpData(client, {
			now,
			lookAheadHours,
			lookBackHours,
			includeInactive,
			limit,
			includeCourses: request.includeCourses,
			itemIndex: request.itemIndex,
			people,
		});
		found.forEach((warning) => warnings.add(warning));
		return { profiles: buildProfiles(data, { now, lookAheadHours, lookBackHours, includeInactive }), notFound };
	};

	const items = this.getInputData();
	// An item whose option cannot be read goes the For These People way too, where it fails on its own.
	const asksForPeople = (itemIndex: number) => {
		try {
			return readPeople(this, itemIndex, isCustomerId) !== undefined;
		} catch {
			return true;
		}
	};
	const anyPeople = items.some((_item, itemIndex) => asksForPeople(itemIndex));
	if (!anyPeople) {
		// The whole listing, once per item (as every other operation).
		const output = await forEachItem(this, async (itemIndex) => (await fetchProfiles(read(itemIndex))).profiles as unknown as IDataObject[]);
		for (const message of warnings) this.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
		return output;
	}

	// For These People: gather who each item asks for, then read TeamUp once per batch of items that
	// share the settings (the same person asked by several items, e.g. a burst from the trigger, is
	// read and output once).
	const output: INodeExecutionData[] = [];
	const failed = (error: unknown, itemIndexes: number[]) => {
		if (!this.continueOnFail()) throw asNodeError(this, error, itemIndexes[0]);
		for (const item of itemIndexes) output.push({ json: { error: errorMessage(error) }, pairedItem: { item } });
	};
	const batches = new Map<string, Batch>();
	const order: Array<{ whole: Request } | { batch: Batch }> = [];
	const report = { asked: new Set<string>(), rejected: new Set<string>(), nobody: [] as number[], notFound: new Set<string>(), output: 0, repeated: 0 };
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let request: Request;
		try {
			request = read(itemIndex);
		} catch (error) {
			failed(error, [itemIndex]);
			continue;
		}
		const people = request.people;
		if (!people) {
			order.push({ whole: request });
			continue;
		}
		people.rejected.forEach((entry) => report.rejected.add(entry));
		if (people.ids.length + people.emails.length === 0) {
			report.nobody.push(itemIndex);
			continue;
		}
		const { lookAheadHours, lookBackHours, includeInactive, limit, options } = request.parameters;
		// Items without a Reference Time share "now": the batch's first item's.
		const key = JSON.stringify([lookAheadHours, lookBackHours, includeInactive, limit ?? null, options.referenceTime ?? '', request.includeCourses]);
		let batch = batches.get(key);
		if (!batch) {
			batch = { first: request, ids: [], emails: [], askedBy: new Map() };
			batches.set(key, batch);
			order.push({ batch });
		}
		for (const [list, values] of [
			[batch.ids, people.ids],
			[batch.emails, people.emails],
		] as const) {
			for (const value of values) {
				report.asked.add(value);
				const askers = batch.askedBy.get(value);
				if (askers) {
					if (!askers.includes(itemIndex)) askers.push(itemIndex);
					report.repeated++;
				} else {
					batch.askedBy.set(value, [itemIndex]);
					list.push(value);
				}
			}
		}
	}

	const outputIds = new Set<string>();
	for (const entry of order) {
		if ('whole' in entry) {
			try {
				const { profiles } = await fetchProfiles(entry.whole);
				for (const json of profiles) output.push({ json: json as unknown as IDataObject, pairedItem: { item: entry.whole.itemIndex } });
			} catch (error) {
				failed(error, [entry.whole.itemIndex]);
			}
			continue;
		}
		const { batch } = entry;
		const askers = [...new Set([...batch.askedBy.values()].flat())].sort((a, b) => a - b);
		try {
			const { profiles, notFound } = await fetchProfiles(batch.first, { ids: batch.ids, emails: batch.emails });
			notFound.forEach((who) => report.notFound.add(who));
			for (const profile of profiles) {
				// Output once per execution, even when several batches (other settings) ask for the person.
				if (outputIds.has(profile.sourceId)) continue;
				outputIds.add(profile.sourceId);
				const by = new Set([...(batch.askedBy.get(profile.sourceId) ?? []), ...(batch.askedBy.get(normaliseEmail(profile.email) ?? '') ?? [])]);
				const pairedItem: IPairedItemData[] = [...(by.size > 0 ? by : [batch.first.itemIndex])].sort((a, b) => a - b).map((item) => ({ item }));
				output.push({ json: profile as unknown as IDataObject, pairedItem: pairedItem.length === 1 ? pairedItem[0] : pairedItem });
				report.output++;
			}
		} catch (error) {
			failed(error, askers);
		}
	}

	for (const message of warnings) this.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
	this.addExecutionHints({
		message:
			`Access profiles for these people: ${report.output} profiles for ${report.asked.size} people asked` +
			(report.repeated > 0 ? ` (${report.repeated} asked again by a later item, read and output once)` : '') +
			`, in ${batches.size} read${batches.size === 1 ? '' : 's'} of TeamUp`,
		location: 'outputPane',
	});
	if (report.notFound.size > 0) {
		this.addExecutionHints({
			message:
				`Not found in TeamUp, so no profile and no access change from this run: ${lines([...report.notFound])}. ` +
				'An ID may be mistyped or from another business; whoever really left is removed by the full sync, which sees every customer.',
			type: 'warning',
			location: 'outputPane',
		});
	}
	if (report.rejected.size > 0) {
		this.addExecutionHints({
			message: `"For These People": skipped ${lines([...report.rejected])}: neither a TeamUp customer ID (a whole number) nor an e-mail address`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	if (report.nobody.length > 0) {
		this.addExecutionHints({
			message: `"For These People" named nobody for item${report.nobody.length > 1 ? 's' : ''} ${report.nobody.join(', ')}: no profiles for ${report.nobody.length > 1 ? 'them' : 'it'}`,
			location: 'outputPane',
		});
	}
	return output;
}
