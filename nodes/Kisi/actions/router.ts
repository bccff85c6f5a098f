import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { type Resources, route } from '../../shared/router';
import { kisiClient } from '../transport';
import * as group from './group/Group.resource';
import * as lock from './lock/Lock.resource';
import * as place from './place/Place.resource';
import * as roleAssignment from './roleAssignment/RoleAssignment.resource';
import * as share from './share/Share.resource';
import * as user from './user/User.resource';

const resources: Resources = {
	group: group.operations,
	lock: lock.operations,
	place: place.operations,
	roleAssignment: roleAssignment.operations,
	share: share.operations,
	user: user.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, resources, kisiClient);
}
