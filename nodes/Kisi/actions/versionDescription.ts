import { nodeProperties, type Resources } from '../../shared/router';
import { group } from './group/Group.resource';
import { lock } from './lock/Lock.resource';
import { place } from './place/Place.resource';
import { roleAssignment } from './roleAssignment/RoleAssignment.resource';
import { share } from './share/Share.resource';
import { user } from './user/User.resource';

/** The node's resources under the values saved workflows store: its parameters and its router come from here. */
export const resources = { group, lock, place, roleAssignment, share, user } satisfies Resources;

export const properties = nodeProperties(resources, 'place');
