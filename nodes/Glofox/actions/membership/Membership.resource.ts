import { defineResource } from '../../../shared/router';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const membership = defineResource({ name: 'Membership', operations: { get, getAll }, default: 'getAll' });
