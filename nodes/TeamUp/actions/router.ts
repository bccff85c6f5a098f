import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route } from '../../shared/router';
import { teamUpClient } from '../transport';
import { resources } from './versionDescription';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, resources, teamUpClient);
}
