import type { INodeProperties } from 'n8n-workflow';

import * as group from './group/Group.resource';
import * as lock from './lock/Lock.resource';
import * as place from './place/Place.resource';
import * as roleAssignment from './roleAssignment/RoleAssignment.resource';
import * as share from './share/Share.resource';
import * as user from './user/User.resource';

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Group', value: 'group' },
			{ name: 'Lock', value: 'lock' },
			{ name: 'Place', value: 'place' },
			{ name: 'Role Assignment', value: 'roleAssignment' },
			{ name: 'Share', value: 'share' },
			{ name: 'User', value: 'user' },
		],
		default: 'place',
	},
	...group.description,
	...lock.description,
	...place.description,
	...roleAssignment.description,
	...share.description,
	...user.description,
];
