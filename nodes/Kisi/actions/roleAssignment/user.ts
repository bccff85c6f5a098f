import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { email as validEmail, numericId } from '../../../shared/validate';
import { findUserByEmail } from '../helpers';

export const userField: INodeProperties = {
	displayName: 'User',
	name: 'user',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'ana@example.com or 987',
	description: 'The Kisi user: their email address or numeric user ID',
};

/**
 * A user given as an ID or an email, as a user ID. An email is looked up in Kisi; `undefined`
 * when nobody has it (the caller decides whether that is an error).
 */
export async function resolveUser(
	ctx: IExecuteFunctions,
	client: ApiClient,
	value: unknown,
	field: string,
	itemIndex: number,
): Promise<{ id: number; email?: string } | { id: undefined; email: string }> {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (text.includes('@')) {
		const address = validEmail(text, field, itemIndex);
		const user = await findUserByEmail(client, address, itemIndex);
		return user ? { id: Number(user.id), email: address } : { id: undefined, email: address };
	}
	try {
		return { id: numericId(value, field, itemIndex) };
	} catch {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex}: "${field}" must be an email address or a numeric user ID (got ${JSON.stringify(value ?? '')})`,
			{ itemIndex },
		);
	}
}
